"""Every URL of the portal, on the demo data, as every kind of user: no 500, and "not yours" reads as "missing".

The URL list is walked from the resolver, so a new page is crawled without editing this file; a page whose
parameters this file cannot fill fails `test_every_route_has_real_ids` with its name, to be added below.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from plans.models import PlanTask
from reports.models import Report
from targets.models import Target
from tests.crawl.conftest import BACHDANG, DONGNAI, HAIPHONG, LOCNINH, Demo

pytestmark = pytest.mark.django_db

ROLES = {
    "clerk": "vanthu.locninh",
    "other_clerk": "vanthu.bachdang",
    "reviewer": "vanphong.dongnai",
    "other_reviewer": "vanphong.haiphong",
    "viewer": "theodoi.dongnai",
    "admin": "quantri",
    "anonymous": None,
}
# Who may read what each scope holds (the selectors decide; this is what a user expects of them).
SEEN_BY = {
    LOCNINH: {"clerk", "reviewer", "viewer", "admin"},
    DONGNAI: {"reviewer", "viewer", "admin"},
    BACHDANG: {"other_clerk", "other_reviewer", "admin"},
    HAIPHONG: {"other_reviewer", "admin"},
    "": {"clerk", "other_clerk", "reviewer", "other_reviewer", "viewer", "admin"},
}
# The parameters that name an object, and the value no object has.
MISSING = {"pk": "999999", "object_id": "999999", "id": "999999", "code": "ZZZ", "key": "zzz-missing",
           "unit": "ZZZ", "item_id": "999999"}
# Pages that must open (200) for a user whose scope holds the object: a crawl that was only refused proves little.
OPEN_IN_SCOPE = {
    "reports:detail", "reports:evidence", "exports:job", "exports:file", "exports:document",
    "compliance:unit",
    "compliance:dashboard", "compliance:indicator", "tasks:detail", "tasks:file", "unit-detail", "plan-detail",
    "task-detail", "target-detail", "report-detail", "authoring:detail", "report-changes", "compliance-detail",
    "reporting-detail",
    "notification-detail",
}
# Not crawled, and why.
SKIPPED = {
    "account_logout": "a GET shows the confirmation form; crawling it as a POST would end the session",
    "admin:logout": "ends the session (POST only since Django 5)",
}


@dataclass(frozen=True)
class Route:
    path: str  # the pattern as written, prefixes joined: reports/<int:pk>/
    name: str  # namespaced, "" for unnamed patterns
    params: tuple[str, ...]
    callback: Callable

    @property
    def label(self) -> str:
        return self.name or self.path


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        path = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, path, inner)
        elif isinstance(entry, URLPattern):
            params = tuple(entry.pattern.regex.groupindex)
            # A parameter in an including prefix (none today) would be missing here: fail loudly if one appears.
            assert not re.search(r"<|\(\?P", prefix), f"parameters in a URL prefix are not crawled: {prefix}"
            yield Route(path, f"{namespace}{entry.name}" if entry.name else "", params, entry.callback)


def _reachable(routes: list[Route]) -> list[Route]:
    """A pattern listed again under the same path never answers (the first one does): crawl the first alone."""
    seen: set[str] = set()
    kept = []
    for route in routes:
        if route.path not in seen:
            seen.add(route.path)
            kept.append(route)
    return kept


ROUTES = [route for route in _reachable(list(_routes(get_resolver()))) if route.name not in SKIPPED]


def _fill(pattern: str, values: dict[str, str]) -> str:
    """The URL of a route pattern (path converters or a DRF regex) with its parameters filled in."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):
            name = pattern[i + 4:pattern.index(">", i)]
            depth, j = 0, i
            while True:  # skip to the group's closing parenthesis
                depth += {"(": 1, ")": -1}.get(pattern[j], 0) if pattern[j - 1:j] != "\\" else 0
                j += 1
                if depth == 0:
                    break
            out.append(values[name])
            i = j
        elif pattern[i] == "<":
            end = pattern.index(">", i)
            out.append(values[pattern[i + 1:end].split(":")[-1]])
            i = end + 1
        elif pattern.startswith("\\.", i):
            out.append(".")
            i += 2
        elif pattern.startswith("/?", i):
            out.append("/")
            i += 2
        elif pattern[i] in "^$":
            i += 1
        else:
            out.append(pattern[i])
            i += 1
    return "/" + "".join(out)


@dataclass(frozen=True)
class Sample:
    kwargs: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    scope: str | None = None  # None: not scoped by unit (checked only for the "refused reads as missing" rule)

    def missing(self) -> "Sample | None":
        kwargs = {k: MISSING.get(k, v) for k, v in self.kwargs.items()}
        query = {k: MISSING.get(k, v) for k, v in self.query.items()}
        if kwargs == self.kwargs and query == self.query:
            return None
        return Sample(kwargs, query, None)


def _month(value) -> str:
    return f"{value:%Y-%m}"


def _samples_by_name(demo: Demo) -> dict[str, list[Sample]]:
    month = _month(demo.month)
    reports = [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.reports]
    units = [Sample({"code": code}, scope=scope) for code, scope in demo.units]
    forms = [Sample({"code": code, "period": _month(period)}, scope=scope)
             for code, scope in demo.clerk_units for period in demo.periods]
    tasks = [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.tasks]
    dashboard = [Sample(), *[Sample(query={"unit": code, "period": month}, scope=scope) for code, scope in demo.units]]
    api = {
        "unit": units,
        "plan": [Sample({"key": key}, scope=scope) for key, scope in demo.plans],
        "task": tasks,
        "indicator": [Sample({"code": code}, scope="") for code in demo.indicators],
        "target": [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.targets],
        "report": reports,
        "compliance": [Sample({"pk": str(pk)}, {"period": month}, scope) for pk, scope in demo.results],
        "reporting": [Sample({"pk": str(pk)}, {"period": month}, scope) for pk, scope in demo.reporting],
        "notification": [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.notifications],
    }
    samples = {
        "reports:form": forms,
        "reports:template": forms,
        "reports:import": forms,
        "reports:detail": reports,
        "reports:decide": reports,
        "reports:evidence-upload": reports,
        "reports:evidence": [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.evidence],
        "exports:job": [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.exports],
        "exports:file": [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.exports],
        "exports:document": [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.exports],
        "reports:bulk-import": [Sample(), *[Sample(query={"unit": code, "month": month}, scope=scope)
                                            for code, scope in demo.units[:4]]],
        "compliance:dashboard": dashboard,
        "compliance:plan-checks": [Sample(), *[Sample(query={"unit": code}, scope=scope)
                                               for code, scope in demo.units]],
        "compliance:tasks-panel": [Sample(), *[Sample(query={"unit": code}, scope=scope)
                                               for code, scope in demo.units]],
        "unit_values:grid": api["target"],
        "unit_values:template": api["target"],
        "unit_values:import": api["target"],
        "compliance:unit": units,
        "compliance:indicator": [Sample({"code": code}, {"unit": unit, "period": month}, scope)
                                 for code in demo.indicators for unit, scope in demo.units[:4]],
        "tasks:detail": tasks,
        "tasks:progress": tasks,
        "tasks:product": tasks,
        "tasks:submit": tasks,
        "tasks:decide": tasks,
        "tasks:file": [Sample({"pk": str(pk)}, scope=scope) for pk, scope in demo.task_files],
        **{f"authoring:{name}": api["plan"] for name in ("detail", "edit", "issue", "target-new", "task-new",
                                                         "amendment", "amendment-open", "amendment-apply",
                                                         "amendment-discard", "amendment-drop")},
        **{f"authoring:{name}": api["target"] for name in ("target-edit", "target-remove", "target-retire")},
        **{f"authoring:{name}": tasks for name in ("task-edit", "task-remove", "task-close")},
        **{f"plan-{name}": api["plan"] for name in ("issue", "amend", "target-create", "task-create", "amendment",
                                                    "amendment-edits", "amendment-apply")},
        "authoring:amendment-item": [Sample({"key": s.kwargs["key"], "item": "target-new-1"}, scope=s.scope)
                                     for s in api["plan"]],
        "plan-target-change": [Sample({"key": key, "item_id": str(pk)}, scope=scope) for pk, scope in demo.targets
                               for key in Target.objects.filter(pk=pk).values_list("plan__key", flat=True)],
        "plan-task-change": [Sample({"key": key, "item_id": str(pk)}, scope=scope) for pk, scope in demo.tasks
                             for key in PlanTask.objects.filter(pk=pk).values_list("plan__key", flat=True)],
        "account_confirm_email": [Sample({"key": "MQ:1tQmZz:invalid"})],
        "account_reset_password_from_key": [Sample({"uidb36": "1", "key": "invalid-key"})],
    }
    for basename, items in api.items():
        for suffix in ("list", "detail", "approve", "changes", "reopen", "return-", "submit", "values", "read",
                       "progress", "accept"):
            if suffix == "list":
                query = items[0].query if items else {}
                samples[f"{basename}-list"] = [Sample(query={k: v for k, v in query.items() if k != "pk"})]
            else:
                samples[f"{basename}-{suffix}"] = items
    return samples


def _admin_samples(route: Route) -> list[Sample] | None:
    match = re.match(r"admin/(\w+)/(\w+)/<(?:path:)?(object_id|id)>", route.path)
    if match:
        app_label, model_name, param = match.groups()
        model = next(m for m in admin.site._registry if m._meta.app_label == app_label
                     and m._meta.model_name == model_name)
        if model is Report:  # the seeded ones and one that went through the workflow
            pks = [Report.objects.order_by("pk").values_list("pk", flat=True).first(),
                   Report.objects.exclude(decisions=None).values_list("pk", flat=True).first()]
        else:
            pks = list(model.objects.order_by("pk").values_list("pk", flat=True)[:1])
        return [Sample({param: str(pk)}) for pk in pks if pk is not None] or [Sample({param: MISSING[param]})]
    if route.path.startswith("admin/r/"):
        report = Report.objects.order_by("pk").first()
        return [Sample({"content_type_id": str(ContentType.objects.get_for_model(Report).pk),
                        "object_id": str(report.pk)})]
    if "app_label" in route.params:
        return [Sample({"app_label": label}) for label in sorted({m._meta.app_label for m in admin.site._registry})]
    if route.params == ("url",):
        return [Sample({"url": "no-such-page/"})]
    if route.params == ("path",) and route.path.startswith("api/"):  # the API's own 404 for unknown paths
        return [Sample({"path": "no-such-resource/"}), Sample({"path": "reports/1/2/3/"})]
    return None


def _samples(route: Route, demo: Demo, by_name: dict[str, list[Sample]]) -> list[Sample] | None:
    params = [p for p in route.params if p != "format"]
    if route.name in by_name:
        samples = by_name[route.name]
    elif not params:
        samples = [Sample()]
    else:
        samples = _admin_samples(route)
    if samples is None:
        return None
    if "format" in route.params:
        # JSON, and the browsable API a browser gets (it renders the action forms too).
        dot = "." if route.name == "api-root" else ""
        samples = [Sample({**s.kwargs, "format": f"{dot}{suffix}"}, s.query, s.scope)
                   for s in samples for suffix in ("json", "api")]
    return samples


def _url(route: Route, sample: Sample) -> str:
    url = _fill(route.path, sample.kwargs)
    return f"{url}?{urlencode(sample.query)}" if sample.query else url


# A CSRF token is masked afresh for every response.
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|"csrfToken": ?)"[^"]*"', re.IGNORECASE)


def _answer(response, url: str, sample: Sample) -> tuple:
    """What a user sees of a response, with the request's own URL and ids taken out."""
    text = response.content.decode(errors="replace") if not response.streaming else "<file>"
    location = response.get("Location", "")
    for needle in (url, quote(url, safe="/"), quote(url, safe=""), url.split("?")[0]):
        text, location = text.replace(needle, "<url>"), location.replace(needle, "<url>")
    # The browsable API links the object's own pages (breadcrumbs): its id appears as a path segment.
    for value in (v for k, v in sample.kwargs.items() if k in MISSING):
        text = re.sub(rf"/{re.escape(value)}(?=[/.])", "/<id>", text)
    return response.status_code, location, _CSRF.sub(r"\1<csrf>", text)


def _sees(role: str, scope: str) -> bool:
    if scope.startswith("user:"):  # export jobs are their requester's alone, staff included
        return ROLES[role] == scope.removeprefix("user:")
    return role in SEEN_BY[scope]


def _refused(response) -> bool:
    return response.status_code >= 400 or "/login/" in response.get("Location", "")


def test_every_route_has_real_ids(demo):
    by_name = _samples_by_name(demo)
    unfilled = [route.label for route in ROUTES if _samples(route, demo, by_name) is None]
    assert not unfilled, f"add real ids for these routes to _samples_by_name: {unfilled}"
    for route in ROUTES:
        for sample in _samples(route, demo, by_name):
            url = _url(route, sample)
            assert resolve(url.split("?")[0]).func == route.callback, (route.label, url)


@pytest.mark.parametrize("role", list(ROLES))
def test_crawl_as_every_role(demo, client, django_user_model, role):
    if ROLES[role]:
        client.force_login(django_user_model.objects.get(username=ROLES[role]))
    by_name = _samples_by_name(demo)
    errors, crawled = [], 0
    for route in ROUTES:
        missing_answers = {}
        samples = _samples(route, demo, by_name) or []
        if samples and not route.path.startswith(("admin/", "api/")):
            # A HEAD, and the htmx request a page makes of itself (it may answer with a partial template).
            url = _url(route, samples[0])
            for method, headers in (("head", {}), ("get", {"HTTP_HX_REQUEST": "true"})):
                try:
                    status = getattr(client, method)(url, **headers).status_code
                except Exception as exc:  # noqa: BLE001 - as below
                    errors.append(f"500 {method.upper()} {headers} {url}: {exc!r}")
                    continue
                if status >= 500:
                    errors.append(f"{status} {method.upper()} {headers} {url}")
        for sample in samples:
            url = _url(route, sample)
            try:
                response = client.get(url)
            except Exception as exc:  # noqa: BLE001 - the test client re-raises what would have been a 500
                errors.append(f"500 {url}: {exc!r}")
                continue
            crawled += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {url}")
                continue
            should_open = (route.name in OPEN_IN_SCOPE and sample.scope and _sees(role, sample.scope)) or (
                role == "admin" and re.fullmatch(r"admin:\w+_(changelist|change|history)", route.name)
                and not (sample.kwargs and sample.missing() is None))  # a model without rows: crawled as missing
            if should_open and response.status_code != 200:
                errors.append(f"in scope {url} answers {response.status_code}, not 200")
            missing = sample.missing()
            if missing is None:
                continue
            expected_refused = sample.scope is not None and not _sees(role, sample.scope)
            if not (expected_refused or _refused(response)):
                continue
            missing_url = _url(route, missing)
            if missing_url not in missing_answers:
                missing_answers[missing_url] = _answer(client.get(missing_url), missing_url, missing)
            if _answer(response, url, sample) != missing_answers[missing_url]:
                what = "out of scope" if expected_refused else "refused"
                errors.append(f"{what} {url} answers {response.status_code} unlike missing {missing_url} "
                              f"({missing_answers[missing_url][0]})")
    assert crawled > len(ROUTES)
    assert not errors, "\n".join(errors)


def test_seeded_reports_show_their_history_to_the_reviewer(demo, client, django_user_model):
    reviewer = django_user_model.objects.get(username=ROLES["reviewer"])
    client.force_login(reviewer)
    locninh = [pk for pk, scope in demo.reports if scope == LOCNINH]
    returned = Report.objects.get(pk__in=locninh, status=Report.Status.RETURNED)
    for pk in locninh:
        response = client.get(f"/reports/{pk}/")
        assert response.status_code == 200
        history = response.content.decode().split('class="grid history"', 1)[1]
        assert "Hệ thống" in history  # the seed wrote it
    history = client.get(f"/reports/{returned.pk}/").content.decode().split('class="grid history"', 1)[1]
    assert reviewer.get_full_name() in history


def test_the_demo_has_a_viewer_who_reads_but_neither_enters_nor_reviews(demo, django_user_model):
    viewer = django_user_model.objects.get(username=ROLES["viewer"])
    assert {(m.role, m.unit.code) for m in viewer.memberships.select_related("unit")} == {("viewer", DONGNAI)}
