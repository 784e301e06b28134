# OpenAGB python kernel: runs inside a session sandbox, started by org.openagb.sandbox.internal.Kernel.
#
# Protocol. Requests arrive on stdin as one JSON object per line: {"id": n, "code": "..."}. Replies go to a private
# duplicate of the original stdout as frames "<byte length>\n<UTF-8 JSON>"; the first frame is {"ready": ...}, then
# one reply per request: {"id", "results", "stdout", "stderr", "error", "time"}. A request with "stream": true also
# gets its output as it is read, before its reply: {"id", "stream": "stdout"|"stderr", "text"}. File descriptors 1 and
# 2 are pipes read by this kernel, so print(), os.system() and C extensions all land in the request's stdout/stderr
# chunks and can never reach the protocol channel. Stdin of user code is /dev/null.
import ast
import base64
import codecs
import json
import os
import signal
import sys
import threading
import time
import traceback

os.environ.setdefault("MPLBACKEND", "Agg")
OUTPUT_CAP = int(os.environ.pop("OPENAGB_OUTPUT_CAP", str(1024 * 1024)))
for _name in ("OPENAGB_OUTPUT_CAP",):
    os.environ.pop(_name, None)

_PROTO = os.fdopen(os.dup(1), "wb", buffering=0)
_REQUESTS = os.fdopen(os.dup(0), "rb")
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)


_SEND_LOCK = threading.Lock()
_stream_id = None  # the id of the running request when it streams its output


def _send(obj):
    data = json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8")
    with _SEND_LOCK:
        _PROTO.write(str(len(data)).encode("ascii") + b"\n" + data)


class _Pump:
    """Owns fd `fd`: a pipe whose read end a daemon thread drains into line chunks of the current request (and, for a
    streamed request, into stream frames as it is read)."""

    def __init__(self, fd, name):
        self.fd = fd
        self.name = name
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        r, w = os.pipe()
        os.dup2(w, fd)
        os.close(w)
        self.r = r
        self.cond = threading.Condition()
        self.pending = bytearray()
        self.chunks = []
        self.kept = 0
        self.truncated = False
        self.marker = b"\x00openagb-sync-" + os.urandom(12).hex().encode() + b"\x00"
        self.markers_seen = 0
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        buf = bytearray()
        while True:
            try:
                data = os.read(self.r, 65536)
            except InterruptedError:
                continue
            if not data:
                return
            buf += data
            with self.cond:
                while True:
                    i = buf.find(self.marker)
                    if i < 0:
                        # keep only a tail that could be the start of a marker, so output is never held back
                        keep = self._marker_prefix(buf)
                        if len(buf) > keep:
                            self._add(bytes(buf[: len(buf) - keep]))
                            del buf[: len(buf) - keep]
                        break
                    self._add(bytes(buf[:i]))
                    del buf[: i + len(self.marker)]
                    self.markers_seen += 1
                    self.cond.notify_all()

    def _marker_prefix(self, buf):
        """The length of the longest end of `buf` that begins the marker."""
        start = max(0, len(buf) - len(self.marker) + 1)
        i = buf.find(b"\x00", start)
        while i >= 0:
            if self.marker.startswith(bytes(buf[i:])):
                return len(buf) - i
            i = buf.find(b"\x00", i + 1)
        return 0

    def _stream(self, text):
        request = _stream_id
        if request is not None and text:
            _send({"id": request, "stream": self.name, "text": text})

    def _add(self, data):
        if not data:
            return
        room = OUTPUT_CAP - self.kept
        cut = len(data) > room
        data = data[: max(room, 0)]
        if data:
            self.kept += len(data)
            self.pending += data
            self._split()
            self._stream(self.decoder.decode(data))
        if cut:
            self._cut()

    def _cut(self):
        if not self.truncated:
            self.truncated = True
            self._stream(self.decoder.decode(b"", True))
            self._stream(self._truncation_note())

    def _truncation_note(self):
        return "[%s truncated after %d bytes]\n" % (self.name, OUTPUT_CAP)

    def _split(self):
        while True:
            i = self.pending.find(b"\n")
            if i < 0:
                break
            self.chunks.append(bytes(self.pending[: i + 1]))
            del self.pending[: i + 1]

    def take(self, name):
        """Waits until everything written to the fd so far was read, then returns the chunks and resets."""
        with self.cond:
            target = self.markers_seen + 1
        os.write(self.fd, self.marker)
        with self.cond:
            self.cond.wait_for(lambda: self.markers_seen >= target, timeout=2)
            chunks = self.chunks
            if self.pending:
                chunks.append(bytes(self.pending))
            out = [c.decode("utf-8", "replace") for c in chunks]
            if self.truncated:
                out.append(self._truncation_note())
            else:
                self._stream(self.decoder.decode(b"", True))
            self.decoder.reset()
            self.chunks = []
            self.pending = bytearray()
            self.kept = 0
            self.truncated = False
            return out


_OUT = _Pump(1, "stdout")
_ERR = _Pump(2, "stderr")
sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False)
sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False)
sys.__stdout__ = sys.stdout
sys.__stderr__ = sys.stderr

_results = []
_running = False
_interrupted = False


def _on_sigint(signum, frame):
    global _interrupted
    if _running:
        raise KeyboardInterrupt
    _interrupted = True


signal.signal(signal.SIGINT, _on_sigint)


def _jsonable(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, str):
        return value
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return str(value)


def _bundle(data, main):
    out = {}
    for mime, value in data.items():
        if mime.endswith("+json") or mime == "application/json":
            if isinstance(value, (str, bytes)):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
        out[mime] = _jsonable(value)
    out["isMainResult"] = main
    return out


def _flush_figures():
    """Publishes open matplotlib figures as image/png display data, then closes them (like the inline backend)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    try:
        import io

        for num in plt.get_fignums():
            fig = plt.figure(num)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", bbox_inches="tight")
            _results.append(
                _bundle({"image/png": buf.getvalue(), "text/plain": repr(fig)}, False)
            )
        plt.close("all")
    except Exception:
        traceback.print_exc()


def _error_text(etype, evalue):
    name = getattr(etype, "__name__", str(etype))
    message = str(evalue)
    return name + (": " + message if message else "")


# ---------------------------------------------------------------- IPython engine
IPYTHON = None
try:
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class _Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            _results.append(_bundle(data, False))

        def clear_output(self, wait=False):
            pass

    class _Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            _results.append(_bundle(format_dict, True))

        def finish_displayhook(self):
            pass

    class _Shell(InteractiveShell):
        displayhook_class = Type(_Hook)
        display_pub_class = Type(_Publisher)

        def _showtraceback(self, etype, evalue, stb):
            sys.stderr.write(self.InteractiveTB.stb2text(stb) + "\n")

        def enable_gui(self, gui=None):
            pass

    _shell = _Shell.instance(colors="NoColor", history_length=0, history_load_length=0)
    try:
        _shell.history_manager.enabled = False
    except Exception:
        pass
    IPYTHON = __import__("IPython").__version__
except Exception:  # pragma: no cover - depends on the image
    _shell = None


def _run_ipython(code):
    result = _shell.run_cell(code, store_history=True)
    err = result.error_before_exec or result.error_in_exec
    if err is None:
        return ""
    return _error_text(type(err), err)


# ---------------------------------------------------------------- plain engine (no IPython)
_REPRS = (
    ("text/html", "_repr_html_"),
    ("text/markdown", "_repr_markdown_"),
    ("image/svg+xml", "_repr_svg_"),
    ("image/png", "_repr_png_"),
    ("image/jpeg", "_repr_jpeg_"),
    ("text/latex", "_repr_latex_"),
    ("application/json", "_repr_json_"),
)


def _mimebundle(obj, raw=False):
    if raw and isinstance(obj, dict):
        return dict(obj)
    data = {}
    method = getattr(obj, "_repr_mimebundle_", None)
    if callable(method):
        try:
            got = method()
            data.update(got[0] if isinstance(got, tuple) else got or {})
        except Exception:
            traceback.print_exc()
    for mime, name in _REPRS:
        method = getattr(obj, name, None)
        if mime not in data and callable(method) and not isinstance(obj, type):
            try:
                value = method()
            except Exception:
                traceback.print_exc()
                continue
            if value is not None:
                data[mime] = value[0] if isinstance(value, tuple) else value
    data.setdefault("text/plain", repr(obj))
    return data


def display(*objs, raw=False, **kwargs):
    """display() of the plain engine: each object becomes a display result (isMainResult false)."""
    for obj in objs:
        _results.append(_bundle(_mimebundle(obj, raw), False))


_plain_ns = {"__name__": "__main__", "__builtins__": __builtins__, "display": display}


def _run_plain(code):
    try:
        tree = ast.parse(code, "<cell>", "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, "<cell>", "exec"), _plain_ns)
        if last is not None:
            value = eval(compile(last, "<cell>", "eval"), _plain_ns)
            if value is not None:
                _plain_ns["_"] = value
                _results.append(_bundle(_mimebundle(value), True))
        return ""
    except BaseException as e:  # noqa: B902 - user code may raise anything, KeyboardInterrupt included
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != "<cell>":
            tb = tb.tb_next  # drop the kernel's own frames
        sys.stderr.write("".join(traceback.format_exception(type(e), e, tb)))
        return _error_text(type(e), e)


# ---------------------------------------------------------------- main loop
def _execute(request):
    global _running, _results, _stream_id
    _results = []
    _stream_id = request.get("id") if request.get("stream") else None
    started = time.perf_counter()
    error = ""
    _running = True
    try:
        error = _run_ipython(request["code"]) if _shell is not None else _run_plain(request["code"])
    except KeyboardInterrupt:
        error = "KeyboardInterrupt"
    finally:
        _running = False
    try:
        _flush_figures()
    except KeyboardInterrupt:
        pass
    elapsed = time.perf_counter() - started
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    try:
        stdout = _OUT.take("stdout")
        stderr = _ERR.take("stderr")
    finally:
        _stream_id = None
    return {
        "id": request.get("id"),
        "results": _results,
        "stdout": stdout,
        "stderr": stderr,
        "error": error,
        "time": elapsed,
    }


def _main():
    _send(
        {
            "ready": True,
            "language": "python",
            "pid": os.getpid(),
            "executable": sys.executable,
            "version": sys.version.split()[0],
            "ipython": IPYTHON,
        }
    )
    while True:
        try:
            line = _REQUESTS.readline()
        except KeyboardInterrupt:
            continue
        if not line:
            return
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            reply = _execute(request)
        except BaseException as e:  # noqa: B902 - a kernel bug or a late interrupt must not kill the kernel
            global _stream_id
            _stream_id = None
            reply = {
                "id": request.get("id"),
                "results": [],
                "stdout": [],
                "stderr": [traceback.format_exc()],
                "error": _error_text(type(e), e),
                "time": 0,
            }
        _send(reply)


_main()
