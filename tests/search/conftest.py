import pytest


@pytest.fixture(autouse=True)
def fresh_search_state():
    from sommaire.search import services

    services.forget()
    yield
    services.forget()
