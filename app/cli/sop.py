"""`pantau sop import FILE` and `pantau sop publish FILE`: an SOP document read into a draft catalogue file,
and a reviewed draft published as the SOP's next catalogue version."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer
from rich.markup import escape

from pantau.db import session_scope
from pantau.sla.context import sla_context
from pantau.sops import SopFileError, load_sop_file
from pantau.sops.file_words import file_problem_words
from pantau.sops.imports import SopDocumentError, draft_toml, import_document
from pantau.sops.imports.words import field_words, place_words
from pantau.sops.versions import PublishRefused
from pantau.sops.versions import publish as publish_version

from .common import console, engine, fail, settings, words

app = typer.Typer(help="SOP documents: import one as a draft, publish a reviewed draft.", no_args_is_help=True)


def _fail(message: str, json_out: bool, said: str | None = None) -> None:
    """Refuse: `message` (English) in the JSON, `said` (the configured language's words, default `message`) on
    the terminal."""
    if json_out:
        console.print_json(json.dumps({"ok": False, "error": message}))
        raise typer.Exit(2)
    fail(escape(said or message))


@app.command("import")
def import_(
    path: Path = typer.Argument(..., help="the SOP document: .docx, .html, or tab-separated text (.txt)"),
    code: str = typer.Option(None, "--code", help="the SOP's code; an existing code keeps its step keys and roles"),
    unit: str = typer.Option(None, "--unit", help="the unit accountable for the SOP (default: the catalogue's)"),
    out: Path = typer.Option(None, "--out", help="write the draft catalogue file here (default: print it)"),
    json_out: bool = typer.Option(False, "--json", help="print the draft, its notes and problems as JSON"),
) -> None:
    """Read an SOP document's table (Kegiatan, Pelaksana, Mutu Baku) into a draft catalogue file, each note for
    its reviewer a comment above its step. Nothing is stored: review the draft, then `pantau sop publish`."""
    config = settings()
    t, lang = words(config), config.language
    current = sla_context(config, engine(config)).catalogue
    try:
        draft = import_document(path, code=code, unit=unit, base=current.get((code or "").upper()))
    except SopDocumentError as error:
        place = [error.path.name, place_words(error.where, lang) if error.where else "",
                 t("column {name}", name=error.field) if error.field else ""]
        _fail(str(error), json_out, ", ".join(part for part in place if part) + ": " + error.say(lang))
    if json_out:
        console.print_json(json.dumps({
            "ok": True, "draft": draft.as_catalogue(),
            "notes": [{"where": step.row.source.where, "step": step.data["number"], "field": note.field,
                       "message": note.message} for step in draft.steps for note in step.notes]
            + [{"where": None, "step": None, "field": note.field, "message": note.message} for note in draft.notes],
            "problems": [{"where": where or None, "field": field, "message": message}
                         for where, field, message in draft.problems()]}, default=str))
        return
    text = draft_toml(draft)
    if out is None:
        console.print(text, markup=False, highlight=False, end="")
    else:
        out.write_text(text, encoding="utf-8")
        console.print(t("Draft written to {file}: {steps} steps, {notes} notes to review.", file=escape(str(out)),
                        steps=len(draft.steps), notes=sum(len(step.notes) for step in draft.steps)), highlight=False)
    for where, field, message in draft.problems():
        place = ", ".join(part for part in (path.name, place_words(where, lang) if where else "",
                                            field_words(field, lang)) if part)
        console.print(escape(t("To fix before publishing: {place}: {problem}", place=place, problem=t(message))),
                      highlight=False)


@app.command("publish")
def publish(
    path: Path = typer.Argument(..., help="a reviewed catalogue file (from `pantau sop import`)"),
    source: str = typer.Option(None, "--source", help="the document it was imported from (default: the file)"),
    json_out: bool = typer.Option(False, "--json", help="print the result as JSON"),
) -> None:
    """Publish a catalogue file as its SOP's next version: new cases start on it, open ones keep theirs."""
    try:
        sop = load_sop_file(path)
    except SopFileError as error:
        _fail(str(error).splitlines()[0], json_out, file_problem_words(error.path, *error.problems[0],
                                                                       settings().language))
    try:
        with session_scope(engine()) as session:
            version = publish_version(session, sop, actor=f"cli:{getpass.getuser()}", source=source or path.name)
    except PublishRefused as error:
        _fail(f"{path.name} {error}", json_out, f"{path.name}: {error.say(settings().language)}")
    if json_out:
        console.print_json(json.dumps({"ok": True, "code": sop.code, "version": version}))
    else:
        console.print(words()("{code} version {version} published: new cases start on it.", code=sop.code,
                              version=version), highlight=False)
