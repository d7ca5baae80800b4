"""DRF's and knox's messages that API clients read, listed so `make messages` keeps their Vietnamese.

Neither library ships a Vietnamese catalogue; their messages are looked up in the project's catalogue
(LOCALE_PATHS comes first), and `makemessages --no-obsolete` keeps only msgids it finds in the project's
sources: this module is where it finds them. Nothing imports it. Django's own catalogue already translates
the rest ("Not found.", "This field is required.", …).
"""

from django.utils.translation import gettext_noop

API_MSGIDS = (
    gettext_noop('Malformed request.'),
    gettext_noop('Incorrect authentication credentials.'),
    gettext_noop('Authentication credentials were not provided.'),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop('Invalid input.'),
    gettext_noop('This field may not be null.'),
    gettext_noop('Must be a valid boolean.'),
    gettext_noop('Not a valid string.'),
    gettext_noop('A valid integer is required.'),
    gettext_noop('Ensure this value is greater than or equal to {min_value}.'),
    gettext_noop('Ensure this value is less than or equal to {max_value}.'),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop('Expected a dictionary of items but got type "{input_type}".'),
    gettext_noop('Invalid data. Expected a dictionary, but got {datatype}.'),
    gettext_noop('Object with {slug_name}={value} does not exist.'),
    gettext_noop('Invalid value.'),
    gettext_noop('JSON parse error - {detail}'),
    # knox.auth
    gettext_noop('Invalid token.'),
    gettext_noop('Invalid token header. No credentials provided.'),
    gettext_noop('Invalid token header. Token string should not contain spaces.'),
)
