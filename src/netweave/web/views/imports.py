"""The import page: upload an export zip; it goes through the same import path as
``netweave import``, then identities, tie scores and the topic index are brought up to date."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path, PurePath

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from ...errors import InputError
from ...identity.resolve import resolve, stale_accounts
from ...importers import import_paths
from ...listening.search import ensure_index
from ...relationships.health import recompute
from .._render import html, respond
from ..app import WebState, web_state
from ..models import ImportOut

router = APIRouter(tags=["import"])

_CHUNK = 1 << 20


class TooLarge(InputError):
    """An upload over the size limit."""

    http_status = 413


@router.get("/import", include_in_schema=False)
def import_page(request: Request, st: WebState = Depends(web_state)) -> Response:
    """The upload form."""
    return html(request, "import.html", result=None, limit_mb=st.max_upload >> 20)


def _save(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Copy the upload into ``folder``, refusing more than ``limit`` bytes or a non-zip."""
    name = PurePath(upload.filename or "export.zip").name or "export.zip"
    if not name.lower().endswith(".zip"):
        raise InputError(name, None, "upload the export as a .zip file")
    target = folder / name
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise TooLarge(name, None, f"larger than the {limit >> 20} MiB upload limit")
            out.write(chunk)
    if not written:
        raise InputError(name, None, "the file is empty")
    if not zipfile.is_zipfile(target):
        raise InputError(name, None, "not a zip archive: upload the export zip as downloaded")
    return target


@router.post("/import", response_model=ImportOut, summary="Upload an export zip")
def upload(
    request: Request, export: UploadFile = File(...), st: WebState = Depends(web_state)
) -> Response:
    """Import an uploaded export zip and show what it added."""
    settings = st.settings()
    with tempfile.TemporaryDirectory(prefix="netweave-upload-") as tmp:
        path = _save(export, Path(tmp), st.max_upload)
        report = import_paths(st.store, [str(path)], settings=settings)
        name = path.name
        where = f"{tmp}/"  # the upload's temporary folder means nothing to the reader
        files = [
            {
                "file": f.file.replace(where, ""),
                "source": f.source,
                "records": f.records,
                "status": f.status,
            }
            for f in report.files
        ]
        skipped = [s.replace(where, "") for s in report.skipped]
    people = resolve(st.store, stale_accounts(st.store)).as_dict()
    people["scored"] = recompute(st.store, settings=settings).people
    data = ImportOut(
        file=name,
        files=files,
        added=dict(report.added),
        skipped=skipped,
        people=people,
        indexed=ensure_index(st.store),
    )
    return respond(request, "import.html", data, result=data, limit_mb=st.max_upload >> 20)
