from settings import get_settings


def test_health_answers_ok_with_the_engine_after_a_real_query(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": get_settings().engine}


def test_health_answers_503_when_the_database_is_unreachable(anonymous, monkeypatch):
    from piccolo.apps.user.tables import BaseUser

    async def broken(*args, **kwargs):
        raise OSError("database down")

    monkeypatch.setattr(BaseUser, "raw", broken)
    response = anonymous.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
