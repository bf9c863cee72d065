"""Masking personal data (ID numbers, phones) for people who may not see it in full."""


def mask_id(number: str) -> str:
    return number[:4] + "*" * max(len(number) - 8, 0) + number[-4:] if len(number) > 8 else "*" * len(number)


def mask_phone(phone: str) -> str:
    digits = phone.replace(" ", "")
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"
