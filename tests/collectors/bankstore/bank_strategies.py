"""Hypothesis strategies for the bank importers' property tests: a *bank world* (payments to VAs on a few days,
some of them genuinely equal, a few debits) and the files the bank's channels give of it.

A world is the truth: what moved on the campus account. Its files are what Pantau gets to see of it: H2H
notification logs (BNI eCollection, BRIVA, SNAP; split over several files, some notifications logged twice,
some lost), MT940 daily statements with chained balances, camt.053 statements of the same account, a monthly
statement overlapping the dailies, and CSV / XLSX exports with the statements' bank references. Each file
knows which payments it shows (``covers``), so a set of files has a known count and total of payments.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import openpyxl
from hypothesis import strategies as st

from collectors.bankfeeds.entry import NOTIFICATION_FORMATS

ACCOUNT = "0987654321"
VAS = ("9880012300000001", "9880012300000002", "7777720240100451")
NAMES = ("BUDI SANTOSO", "SITI AMINAH", "JOSÉ RAMÍREZ", "DEWI LESTARI", "ANDRÉ SÜRYA")
"""Payers; two names outside ASCII (and inside Latin-1 and Windows-1252) for the encoding properties."""
AMOUNTS = (5_000_000, 7_500_000, 10_000_000, 150_000_000)
"""Usual amounts in sen (Rp 50.000 to Rp 1.500.000), drawn often so that equal-looking payments are common."""
CHANNELS = ("bni", "briva", "snap")
ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
ENCODINGS = ("utf-8", "utf-8-sig", "latin-1")
NUMBER_STYLES = ("{:05d}/001", "{}", "{:05d}")
"""How a statement's ``:28C:`` is written; only the plain one names it as camt's ``ElctrncSeqNb`` does."""
CSV_HEADER = "date;amount;reference;va;name;description"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Money:
    """One movement on the campus account: a payment received (credit) or a debit."""

    id: int
    cents: int
    credit: bool
    moment: datetime
    """When the money moved, local (WIB) time: a notification's time."""
    booked: date
    """The day the account booked it (the next day for a payment just before midnight)."""
    ref: str
    va: str | None = None
    channel: str | None = None
    """The H2H channel that notifies it (``bni``, ``briva``, ``snap``), None for a plain transfer or a debit."""
    name: str = NAMES[0]
    names_ntb: bool = False
    """Whether the statement's narrative names the notification's NTB or journal sequence."""

    @property
    def amount(self) -> Decimal:
        return (Decimal(self.cents) / 100).quantize(CENT)

    @property
    def notification_id(self) -> str:
        return {"bni": f"{100_000 + self.id}", "briva": f"{4_400_000 + self.id}",
                "snap": f"PRQ{self.id:07d}"}.get(self.channel or "", "")

    @property
    def bill(self) -> str:
        return f"INV-{self.id:04d}"

    def narrative(self) -> str:
        if not self.credit:
            return "BIAYA ADMINISTRASI REKENING"
        if self.va is None:
            return f"TRANSFER DARI {self.name}"
        text = f"PEMBAYARAN VA {self.va} {self.name}"
        if self.names_ntb and self.channel == "bni":
            text += f" NTB {self.notification_id}"
        elif self.names_ntb and self.channel == "briva":
            text += f" JOURNAL SEQ {self.notification_id}"
        return text


@dataclass(frozen=True)
class BankFile:
    """One file of a world: its bytes, a second rendering of the same content (other bytes, same entries),
    its format and the payments it shows."""

    name: str
    fmt: str
    data: bytes
    variant: bytes
    covers: frozenset[int]


@dataclass
class World:
    start: date
    days: int
    opening: int
    moves: list[Money]
    number_style: str = NUMBER_STYLES[0]
    first_number: int = 1
    camt_opens_same_day: bool = False
    files: list[BankFile] = field(default_factory=list)

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    @property
    def payments(self) -> list[Money]:
        return [move for move in self.moves if move.credit]

    def booked(self, first: int, last: int) -> list[Money]:
        """The movements booked from day ``first`` to day ``last`` (indexes), in booking order."""
        days = {self.day(index) for index in range(first, last + 1)}
        return sorted((m for m in self.moves if m.booked in days), key=lambda m: (m.booked, m.moment, m.id))

    def balance_before(self, index: int) -> int:
        return self.opening + sum(_signed(m) for m in self.moves if m.booked < self.day(index))

    def balance_after(self, index: int) -> int:
        return self.opening + sum(_signed(m) for m in self.moves if m.booked <= self.day(index))

    def truth(self, files: list[BankFile] | None = None) -> tuple[int, Decimal, list[Decimal]]:
        """Count, total and sorted amounts of the payments the files show (all files by default)."""
        shown = set().union(*(file.covers for file in (self.files if files is None else files)))
        amounts = sorted(m.amount for m in self.payments if m.id in shown)
        return len(amounts), sum(amounts, Decimal("0.00")), amounts


    def unsure(self, files: list[BankFile]) -> int:
        """How many of the notifications the files show could be the notification of another payment's line
        they show: a notification whose own line is not shown, and a line (naming no payment reference) of the
        same VA and amount, booked on the notification's day or the next, whose own notification is not shown.
        Nothing in such files tells the two payments apart (docs/bank-feeds.md), so Pantau pairs them, to check,
        and counts up to this many payments fewer than the files show."""
        by_notification = set().union(*(f.covers for f in files if f.fmt in NOTIFICATION_FORMATS))
        by_line = set().union(*(f.covers for f in files if f.fmt not in NOTIFICATION_FORMATS))

        def bare_line(move: Money) -> bool:
            named = move.names_ntb and move.channel in ("bni", "briva")
            return move.id in by_line and move.id not in by_notification and move.va is not None and not named

        lonely = [m for m in self.payments if m.id in by_notification and m.id not in by_line]
        return sum(any(other.va == note.va and other.cents == note.cents and bare_line(other)
                       and other.booked in (note.moment.date(), note.moment.date() + timedelta(days=1))
                       for other in self.payments) for note in lonely)


def _signed(move: Money) -> int:
    return move.cents if move.credit else -move.cents


# The world.

@st.composite
def worlds(draw, *, max_days: int = 3, min_payments: int = 0, max_payments: int = 7, max_twins: int = 2,
           max_debits: int = 2) -> World:
    """Payments to a few VAs (plain transfers too) and debits over a few days; some payments have a genuinely
    equal twin (same VA, amount and day, its own notification; its own bank reference, or the same one as
    a bank that reuses a reference for a batch gives). A payment made after 23.30 is sometimes booked the
    next day, crossing other payments of its VA and amount as it may (test id015)."""
    start = draw(st.dates(date(2020, 1, 1), date(2030, 12, 1)))
    days = draw(st.integers(1, max_days))
    moves: list[Money] = []

    def moment(day: int) -> datetime:
        minute = draw(st.one_of(st.integers(0, 24 * 60 - 1), st.integers(23 * 60 + 30, 24 * 60 - 1)))
        return datetime.combine(start + timedelta(days=day), time(minute // 60, minute % 60, len(moves) % 60))

    for _ in range(draw(st.integers(min_payments, max_payments))):
        day = draw(st.integers(0, days - 1))
        at = moment(day)
        late = at.hour == 23 and at.minute >= 30 and day + 1 < days and draw(st.booleans())
        channel = draw(st.sampled_from((*CHANNELS, None)))
        moves.append(Money(
            id=len(moves) + 1, cents=draw(st.one_of(st.sampled_from(AMOUNTS), st.integers(1, 10**11))), credit=True,
            moment=at, booked=at.date() + timedelta(days=int(late)), ref=f"FT{len(moves) + 1:06d}",
            va=draw(st.sampled_from(VAS)) if channel else draw(st.sampled_from((None, *VAS))), channel=channel,
            name=draw(st.sampled_from(NAMES)), names_ntb=draw(st.booleans()),
        ))
    for _ in range(draw(st.integers(0, max_twins)) if moves else 0):
        twin = draw(st.sampled_from(moves))
        at = datetime.combine(twin.moment.date(), time(*divmod(draw(st.integers(0, 23 * 60 + 29)), 60)))
        moves.append(Money(
            id=len(moves) + 1, cents=twin.cents, credit=True, moment=at, booked=at.date(),
            ref=twin.ref if draw(st.integers(0, 3)) == 0 else f"FT{len(moves) + 1:06d}", va=twin.va,
            channel=twin.channel if draw(st.booleans()) or not twin.va else draw(st.sampled_from((*CHANNELS, None))),
            name=draw(st.sampled_from(NAMES)), names_ntb=draw(st.booleans()),
        ))
    for _ in range(draw(st.integers(0, max_debits))):
        at = moment(draw(st.integers(0, days - 1)))
        moves.append(Money(id=len(moves) + 1, cents=draw(st.one_of(st.sampled_from((650_000, *AMOUNTS)),
                                                                   st.integers(1, 10**9))),
                           credit=False, moment=at, booked=at.date(), ref=f"FT{len(moves) + 1:06d}"))
    return World(start=start, days=days, opening=draw(st.integers(-10**8, 10**12)), moves=moves,
                 number_style=draw(st.sampled_from(NUMBER_STYLES)), first_number=draw(st.integers(1, 300)),
                 camt_opens_same_day=draw(st.booleans()))


# Rendering: statements.

def swift_amount(cents: int, bare: bool = False) -> str:
    """``150000,00`` (``150000`` when ``bare`` and whole)."""
    whole, sen = divmod(abs(cents), 100)
    return f"{whole}" if bare and not sen else f"{whole},{sen:02d}"


def mt940_statement(world: World, number: int, first: int, last: int, *, account: str = ACCOUNT,
                    bare: bool = False, split_narrative: bool = False) -> list[str]:
    """One ``:20:`` block of the days ``first`` to ``last``: opening balance dated the day before, closing
    balance the last day."""
    opening, closing = world.balance_before(first), world.balance_after(last)
    lines = [f":20:STMT{number}", f":25:{account}", f":28C:{world.number_style.format(number)}",
             f":60F:{'D' if opening < 0 else 'C'}{world.day(first) - timedelta(days=1):%y%m%d}IDR"
             f"{swift_amount(opening, bare)}"]
    for move in world.booked(first, last):
        lines.append(f":61:{move.booked:%y%m%d}{move.booked:%m%d}{'C' if move.credit else 'D'}"
                     f"{swift_amount(move.cents, bare)}NTRF{move.ref}//{move.ref}")
        narrative = move.narrative()
        if split_narrative and " " in narrative:
            head, tail = narrative.rsplit(" ", 1)
            lines += [f":86:{head}", tail]
        else:
            lines.append(f":86:{narrative}")
    lines.append(f":62F:{'D' if closing < 0 else 'C'}{world.day(last):%y%m%d}IDR{swift_amount(closing, bare)}")
    return lines


def mt940_file(world: World, statements: list[tuple[int, int, int]], *, envelope: bool = False,
               header: bool = False, **options) -> str:
    """Statements given as (number, first day, last day), one after the other; optionally in a SWIFT envelope
    or after a bank's header line."""
    lines = ["REKENING KORAN MT940"] if header else []
    if envelope:
        lines.append("{1:F01BNINIDJAXXX0000000000}{2:I940BNINIDJAXXXXN}{4:")
    for number, first, last in statements:
        lines += mt940_statement(world, number, first, last, **options)
    if envelope:
        lines.append("-}")
    return "\n".join(lines) + "\n"


def _camt_balance(code: str, cents: int, day: date) -> str:
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"IDR\">{abs(cents) / 100:.2f}</Amt>"
            f"<CdtDbtInd>{'DBIT' if cents < 0 else 'CRDT'}</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>")


def camt_file(world: World, statements: list[tuple[int, int, int]], *, encoding: str = "UTF-8",
              indent: str = "") -> str:
    """A camt.053 document with one ``Stmt`` per (number, first day, last day); the opening balance is dated
    the day before the first day, or the first day itself when the world says so."""
    out = [f'<?xml version="1.0" encoding="{encoding}"?>',
           '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">', "<BkToCstmrStmt>",
           f"<GrpHdr><MsgId>MSG{statements[0][0]}</MsgId><CreDtTm>{world.day(0).isoformat()}T23:00:00+07:00"
           "</CreDtTm></GrpHdr>"]
    for number, first, last in statements:
        opens = world.day(first) - timedelta(days=0 if world.camt_opens_same_day else 1)
        out += ["<Stmt>", f"{indent}<Id>STMT-{number}</Id>", f"{indent}<ElctrncSeqNb>{number}</ElctrncSeqNb>",
                f"{indent}<Acct><Id><Othr><Id>{ACCOUNT}</Id></Othr></Id><Ccy>IDR</Ccy></Acct>",
                indent + _camt_balance("OPBD", world.balance_before(first), opens),
                indent + _camt_balance("CLBD", world.balance_after(last), world.day(last))]
        for move in world.booked(first, last):
            party = "Dbtr" if move.credit else "Cdtr"
            out += [f"{indent}<Ntry>",
                    f"{indent * 2}<Amt Ccy=\"IDR\">{move.cents / 100:.2f}</Amt>"
                    f"<CdtDbtInd>{'CRDT' if move.credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>",
                    f"{indent * 2}<BookgDt><Dt>{move.booked.isoformat()}</Dt></BookgDt>"
                    f"<ValDt><Dt>{move.booked.isoformat()}</Dt></ValDt><AcctSvcrRef>{move.ref}</AcctSvcrRef>",
                    f"{indent * 2}<NtryDtls><TxDtls><RltdPties><{party}><Nm>{move.name}</Nm></{party}></RltdPties>"
                    f"<RmtInf><Ustrd>{move.narrative()}</Ustrd></RmtInf></TxDtls></NtryDtls>",
                    f"{indent}</Ntry>"]
        out.append("</Stmt>")
    out += ["</BkToCstmrStmt>", "</Document>"]
    return "\n".join(out) + "\n"


# Rendering: exports.

def indonesian_amount(cents: int) -> str:
    """``-1.500.000,00``."""
    whole, sen = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole:,}".replace(",", ".") + f",{sen:02d}"


def _export_time(move: Money) -> datetime:
    """When an export says the movement was booked: its moment, or just after midnight when booked a day late."""
    return move.moment if move.booked == move.moment.date() else datetime.combine(move.booked, time(0, 1))


def csv_file(world: World, first: int, last: int) -> str:
    """A CSV export in Pantau's own layout (signed Indonesian amounts) of the days ``first`` to ``last``."""
    lines = [CSV_HEADER]
    for move in world.booked(first, last):
        lines.append(f"{_export_time(move):%Y-%m-%d %H:%M:%S};{indonesian_amount(_signed(move))};{move.ref};"
                     f"{move.va or ''};{move.name if move.credit else ''};{move.narrative()}")
    return "\n".join(lines) + "\n"


def xlsx_file(world: World, first: int, last: int, *, typed: bool = True, rows: int | None = None) -> bytes:
    """The same export as a workbook, with typed cells (dates, numbers) or text cells; only the first ``rows``
    lines after the header when given."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(CSV_HEADER.split(";"))
    for move in world.booked(first, last)[:rows]:
        signed = _signed(move)
        amount = (signed // 100 if signed % 100 == 0 else signed / 100) if typed else indonesian_amount(signed)
        when = _export_time(move) if typed else f"{_export_time(move):%Y-%m-%d %H:%M:%S}"
        sheet.append([when, amount, move.ref, move.va, move.name if move.credit else None, move.narrative()])
    return workbook_bytes(book)


def workbook_bytes(book: openpyxl.Workbook) -> bytes:
    """The workbook saved, with fixed times in its properties and zip entries: the same sheet gives the same
    bytes (hypothesis needs the drawn files to be the same on a second run)."""
    book.properties.created = book.properties.modified = datetime(2020, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for item in saved.infolist():
            content = saved.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", content)
            out.writestr(zipfile.ZipInfo(item.filename, (2020, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


# Rendering: notifications.

def _plain_amount(cents: int) -> str:
    whole, sen = divmod(cents, 100)
    return f"{whole}" if not sen else f"{whole}.{sen:02d}"


def notification(move: Money, *, utc: bool = False) -> dict:
    """The H2H notification of a payment, in its channel's shape."""
    va, at, amount = move.va or "", move.moment, _plain_amount(move.cents)
    if move.channel == "bni":
        return {"trx_id": move.bill, "virtual_account": va, "customer_name": move.name, "trx_amount": amount,
                "payment_amount": amount, "cumulative_payment_amount": amount, "payment_ntb": move.notification_id,
                "datetime_payment": f"{at:%Y-%m-%d %H:%M:%S}"}
    if move.channel == "briva":
        return {"brivaNo": va[:5], "custCode": va[5:], "nama": move.name, "billAmount": amount,
                "transactionDateTime": f"{at:%Y%m%d%H%M%S}", "journalSeq": move.notification_id,
                "terminalId": "ATM0042"}
    moment = (at - timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%SZ") if utc else f"{at:%Y-%m-%dT%H:%M:%S}+07:00"
    return {"partnerServiceId": f"   {va[:5]}", "customerNo": va[5:], "virtualAccountNo": f"   {va}",
            "virtualAccountName": move.name, "trxId": move.bill, "paymentRequestId": move.notification_id,
            "paidAmount": {"value": f"{move.cents // 100}.{move.cents % 100:02d}", "currency": "IDR"},
            "trxDateTime": moment, "referenceNo": f"REF{move.id:08d}"}


def log_file(records: list[dict]) -> str:
    """JSON lines as a payment server logs them, names written as they are (not escaped)."""
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


# Text transformations.

def recode(text: str, ending: str = "lf", encoding: str = "utf-8") -> bytes:
    """The text with its line endings and encoding changed (``utf-8-sig`` adds a byte-order mark)."""
    return text.replace("\n", ENDINGS[ending]).encode(encoding)


def latin1_declared(text: str) -> str:
    """A camt document declaring the encoding Latin-1 bytes need."""
    return text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1)


# The files of a world.

def _groups(draw, days: int) -> list[tuple[int, int]]:
    """The days cut into consecutive (first, last) groups, and sometimes one more group re-sending some days."""
    cuts = sorted(draw(st.sets(st.integers(1, days - 1), max_size=days - 1))) if days > 1 else []
    bounds = [0, *cuts, days]
    groups = [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)]
    if draw(st.integers(0, 3)) == 0:
        first = draw(st.integers(0, days - 1))
        groups.append((first, draw(st.integers(first, days - 1))))
    return groups


@st.composite
def world_files(draw, world: World) -> list[BankFile]:
    """The files the bank's channels give of ``world``:

    * notification logs per channel, split over one to three files, each notification logged once (most),
      twice (in the same or another file) or lost;
    * daily statements, each day as MT940, camt.053 or both, grouped into files of consecutive days (a day
      sometimes sent again in another file);
    * half the time a monthly statement over every day (MT940 or camt.053, its own number);
    * sometimes one or two exports (CSV or XLSX) of a range of days.
    """
    files: list[BankFile] = []
    for channel in CHANNELS:
        notified = [m for m in world.payments if m.channel == channel]
        if not notified:
            continue
        logs: list[list[tuple[Money, dict]]] = [[] for _ in range(draw(st.integers(1, 3)))]
        for move in notified:
            for _ in range(draw(st.sampled_from((0, 1, 1, 1, 2)))):
                logs[draw(st.integers(0, len(logs) - 1))].append((move, notification(move, utc=draw(st.booleans()))))
        for index, log in enumerate(logs):
            if not log:
                continue
            log = draw(st.permutations(log))
            text = log_file([record for _, record in log])
            files.append(BankFile(f"{channel}-{index}.jsonl", channel, text.encode(),
                                  recode(log_file([record for _, record in reversed(log)]), "crlf"),
                                  frozenset(move.id for move, _ in log)))
    kinds = [draw(st.sampled_from(("mt940", "mt940", "camt053", "both"))) for _ in range(world.days)]
    for kind in ("mt940", "camt053"):
        days = [day for day in range(world.days) if kinds[day] in (kind, "both")]
        if not days:
            continue
        for first, last in _groups(draw, world.days):
            chosen = [day for day in days if first <= day <= last]
            if chosen:
                statements = [(world.first_number + day, day, day) for day in chosen]
                files.append(_statement_file(world, kind, f"{kind}-{chosen[0]}-{chosen[-1]}", statements,
                                             draw(st.booleans())))
    if draw(st.booleans()):
        monthly = [(world.first_number + 500, 0, world.days - 1)]
        files.append(_statement_file(world, draw(st.sampled_from(("mt940", "camt053"))), "monthly", monthly,
                                     draw(st.booleans())))
    for index in range(draw(st.integers(0, 2))):
        first = draw(st.integers(0, world.days - 1))
        last = draw(st.integers(first, world.days - 1))
        covers = frozenset(m.id for m in world.booked(first, last) if m.credit)
        if draw(st.booleans()):
            text = csv_file(world, first, last)
            files.append(BankFile(f"mutasi-{index}.csv", "csv", text.encode(), recode(text, "crlf"), covers))
        else:
            files.append(BankFile(f"mutasi-{index}.xlsx", "xlsx", xlsx_file(world, first, last),
                                  xlsx_file(world, first, last, typed=False), covers))
    return files


def _statement_file(world: World, kind: str, name: str, statements: list[tuple[int, int, int]],
                    bare: bool) -> BankFile:
    covers = frozenset(m.id for _, first, last in statements for m in world.booked(first, last) if m.credit)
    if kind == "mt940":
        text = mt940_file(world, statements, bare=bare)
        variant = recode(mt940_file(world, statements, envelope=True, bare=not bare), "crlf")
        return BankFile(f"{name}.sta", kind, text.encode(), variant, covers)
    text = camt_file(world, statements)
    return BankFile(f"{name}.xml", kind, text.encode(), recode(camt_file(world, statements, indent="  "), "crlf"),
                    covers)


@st.composite
def bank_worlds(draw, **sizes) -> World:
    """A world with its files (at least one)."""
    world = draw(worlds(**sizes))
    world.files = draw(world_files(world))
    return world


# One valid file of one format, for the importer-by-importer properties.

@dataclass(frozen=True)
class ValidFile:
    """A file every importer must take whole: its text (None for XLSX) or bytes, and what it holds."""

    fmt: str
    suffix: str
    text: str | None
    data: bytes
    entries: tuple[tuple[str, Decimal], ...]
    """Each distinct entry's direction and amount."""

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.entries), Decimal("0.00"))

    def __repr__(self) -> str:
        shown = repr(self.text) if self.text is not None else f"<{len(self.data)} bytes of XLSX>"
        return f"ValidFile({self.fmt}, {shown}, entries={self.entries!r})"


SUFFIXES = {"mt940": ".sta", "camt053": ".xml", "csv": ".csv", "xlsx": ".xlsx", "bni": ".jsonl",
            "briva": ".jsonl", "snap": ".jsonl"}
FORMATS = tuple(SUFFIXES)


@st.composite
def valid_files(draw, fmt: str, *, dialects: bool = True) -> ValidFile:
    """A valid file of ``fmt`` made from a small world: every day's statement in one MT940 or camt.053 file
    (MT940 sometimes in an envelope, after a header line, with bare amounts or a narrative over two lines),
    an export of every day, or every notification of one channel (some logged twice). Never empty."""
    world = draw(worlds(max_days=2, max_payments=5, max_twins=1))
    if fmt in CHANNELS:
        notified = [m for m in world.payments if m.channel == fmt] or [_notified(world, fmt)]
        logged = [m for m in notified for _ in range(draw(st.sampled_from((1, 1, 2))))]
        logged = draw(st.permutations(logged))
        text = log_file([notification(m, utc=draw(st.booleans())) for m in logged])
        return ValidFile(fmt, SUFFIXES[fmt], text, text.encode(), tuple(("credit", m.amount) for m in notified))
    moves = world.booked(0, world.days - 1)
    entries = tuple(("credit" if m.credit else "debit", m.amount) for m in moves)
    if fmt in ("csv", "xlsx") and not moves:
        world.moves.append(_notified(world, None))
        moves = world.booked(0, world.days - 1)
        entries = tuple(("credit" if m.credit else "debit", m.amount) for m in moves)
    statements = [(world.first_number + day, day, day) for day in range(world.days)]
    if fmt == "mt940":
        options = {"envelope": draw(st.booleans()), "header": draw(st.booleans()), "bare": draw(st.booleans()),
                   "split_narrative": draw(st.booleans())} if dialects else {}
        text = mt940_file(world, statements, **options)
    elif fmt == "camt053":
        text = camt_file(world, statements, indent=draw(st.sampled_from(("", "  "))) if dialects else "")
    elif fmt == "csv":
        text = csv_file(world, 0, world.days - 1)
    else:
        return ValidFile(fmt, ".xlsx", None, xlsx_file(world, 0, world.days - 1, typed=draw(st.booleans())), entries)
    return ValidFile(fmt, SUFFIXES[fmt], text, text.encode(), entries)


def _notified(world: World, channel: str | None) -> Money:
    at = datetime.combine(world.start, time(10, 0))
    return Money(id=len(world.moves) + 1, cents=AMOUNTS[0], credit=True, moment=at, booked=at.date(),
                 ref=f"FT{len(world.moves) + 1:06d}", va=VAS[0], channel=channel, name=NAMES[2])


def lines_of(data: bytes) -> list[bytes]:
    """The file's lines with their endings (LF, CRLF or CR)."""
    return data.splitlines(keepends=True)
