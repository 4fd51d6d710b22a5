"""Personal (free) e-mail providers: never a partner organisation's domain.

The one list the site keeps of them. ``*`` stands for any top-level part: ``hotmail.*``
covers hotmail.com, hotmail.co.uk, hotmail.fr...
"""

FREE_MAIL_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "hotmail.*",
    "outlook.*",
    "live.*",
    "msn.com",
    "yahoo.*",
    "ymail.com",
    "rocketmail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.*",
    "btinternet.com",
    "btopenworld.com",
    "sky.com",
    "virginmedia.com",
    "talktalk.net",
    "tiscali.co.uk",
    "ntlworld.com",
    "blueyonder.co.uk",
    "protonmail.*",
    "proton.me",
    "pm.me",
    "gmx.*",
    "mail.com",
    "zoho.com",
    "yandex.*",
    "fastmail.*",
    "tutanota.com",
    "hey.com",
)


def is_free_mail(domain: str) -> bool:
    """Whether ``domain`` (or a domain it is under) is a personal e-mail provider's."""
    domain = (domain or "").strip().lower().rstrip(".")
    labels = domain.split(".")
    for pattern in FREE_MAIL_DOMAINS:
        if pattern.endswith(".*"):
            name = pattern[:-2]
            # hotmail.co.uk, hotmail.com: the provider's label then one or two short labels.
            for i, label in enumerate(labels):
                if label == name and 1 <= len(labels) - i - 1 <= 2:
                    return True
        elif domain == pattern or domain.endswith("." + pattern):
            return True
    return False
