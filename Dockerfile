# dutybot: `docker build -t dutybot .` then see docs/deploy.md (or docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . && rm -rf build bot *.egg-info

# The compiled catalogs live at the top of the repository, not inside the package, so a
# non-editable install does not carry them: ship them beside it and say where they are.
# (`dutybot run` refuses to start when they are missing rather than fall back to English.)
COPY locales ./locales
ENV DUTYBOT_I18N__LOCALES_DIR=/app/locales \
    DUTYBOT_MEDIA__DIR=/data/media \
    DUTYBOT_TELEGRAM__WEBHOOK_LISTEN=0.0.0.0:8080

RUN useradd --system --uid 10001 --no-create-home --home-dir /app dutybot \
    && mkdir -p /data/media && chown -R dutybot /data \
    && python -c "from pathlib import Path; from bot.i18n import Catalogs; \
assert not Catalogs(Path('/app/locales')).missing(), 'compiled catalogs missing'"
USER dutybot
VOLUME ["/data"]
EXPOSE 8080

CMD ["dutybot", "run"]
