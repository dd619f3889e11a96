from tests.editors.conftest import fast_passwords

__all__ = ["fast_passwords"]
