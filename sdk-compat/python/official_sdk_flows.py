#!/usr/bin/env python3
"""Wire-compatibility flows for OpenAGB, driven ONLY through the official AGB Python SDK
(`pip install agbcloud-sdk==0.12.0`, package `agb`). No SDK code lives here.

Env: AGB_ENDPOINT, AGB_API_KEY (required); AGB_IMAGE_ID (default agb-code-space-1);
AGB_COMPAT_TRACE=1 prints every HTTP exchange of a failing flow.
Exit code 0 only if every flow passes.
"""
import asyncio
import os
import sys
import time
import traceback
import uuid

import requests

from agb import AGB
from agb.context_sync import ContextSync, SyncPolicy, UploadPolicy, DownloadPolicy, DeletePolicy, \
    UploadMode, UploadStrategy, DownloadStrategy, WhiteList, BWList
from agb.session_params import CreateSessionParams

IMAGE = os.getenv("AGB_IMAGE_ID", "agb-code-space-1")
RUN = uuid.uuid4().hex[:8]
TRACE = os.getenv("AGB_COMPAT_TRACE") == "1"

# ---- HTTP trace (observes requests; does not alter anything) ----
_log = []
_orig_send = requests.Session.send
def _send(self, req, **kw):
    resp = _orig_send(self, req, **kw)
    body = req.body.decode("utf-8", "replace") if isinstance(req.body, bytes) else (req.body or "")
    _log.append(f"  > {req.method} {req.url}\n    body: {body[:400]}\n  < {resp.status_code} {resp.text[:600]}")
    return resp
requests.Session.send = _send

results = []
def flow(name):
    def deco(fn):
        def run():
            _log.clear()
            try:
                fn()
                results.append((name, True, ""))
                print(f"PASS {name}", flush=True)
            except Exception as e:
                msg = f"{type(e).__name__}: {e}"
                results.append((name, False, msg))
                print(f"FAIL {name}: {msg}", flush=True)
                if TRACE:
                    traceback.print_exc()
                    print("\n".join(_log[-8:]))
        run.__name__ = fn.__name__
        return run
    return deco

def check(cond, msg):
    if not cond:
        raise AssertionError(msg)

agb = AGB()
def new_session(syncs=None, labels=None):
    r = agb.create(CreateSessionParams(image_id=IMAGE, context_syncs=syncs or [], labels=labels))
    check(r.success and r.session is not None, f"create failed: {r.error_message}")
    check(r.request_id, "create: empty request_id")
    return r.session

def sh(session, cmd, **kw):
    return session.command.execute(cmd, **kw)

# ---- a. README example and seed Quickstart ----
@flow("a1 README example (context get/create, mount, execute, delete with sync)")
def f_readme():
    ctx = agb.context.get(f"my-project-{RUN}", create=True).context
    check(ctx is not None and ctx.id, "context get/create returned no context")
    sync = ContextSync.new(context_id=ctx.id, path="/home/project", policy=SyncPolicy())
    session = agb.create(CreateSessionParams(image_id=IMAGE, context_syncs=[sync])).session
    check(session is not None, "create returned no session")
    r = session.command.execute("echo hello > /home/project/hello.txt")
    check(r.success, f"execute failed: {r.error_message}")
    d = agb.delete(session, sync_context=True)
    check(d.success, f"delete failed: {d.error_message}")
    s2 = new_session([ContextSync.new(ctx.id, "/home/project", SyncPolicy())])
    try:
        rr = s2.file.read("/home/project/hello.txt")
        check(rr.success and rr.content == "hello\n", f"hello.txt not persisted: {rr.success} {rr.content!r} {rr.error_message}")
    finally:
        agb.delete(s2)

@flow("a2 seed Quickstart (result objects, delete without sync)")
def f_quickstart():
    cr = agb.context.get(f"my-project-q-{RUN}", create=True)
    check(cr.success, f"Context get/create failed: {cr.error_message}")
    again = agb.context.get(f"my-project-q-{RUN}", create=True)
    check(again.success and again.context.id == cr.context.id, "get(create=True) is not idempotent by name")
    sync = ContextSync.new(context_id=cr.context.id, path="/home/project", policy=SyncPolicy())
    create_result = agb.create(CreateSessionParams(image_id=IMAGE, context_syncs=[sync]))
    check(create_result.success, f"Session creation failed: {create_result.error_message}")
    d = agb.delete(create_result.session)
    check(d.success, f"delete failed: {d.error_message}")

# ---- b. Scenario 1: standard workflow with persistence ----
@flow("b  Scenario 1 standard workflow: write in s1, delete(sync_context=True), read in s2")
def f_scenario1():
    ctx = agb.context.create(f"scenario1-{RUN}").context
    policy = SyncPolicy(
        upload_policy=UploadPolicy(auto_upload=True, upload_strategy=UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, upload_mode=UploadMode.FILE),
        download_policy=DownloadPolicy(auto_download=True, download_strategy=DownloadStrategy.DOWNLOAD_ASYNC),
        delete_policy=DeletePolicy(sync_local_file=True))
    s1 = new_session([ContextSync.new(ctx.id, "/home/project", policy)])
    r = sh(s1, "mkdir -p /home/project/workspace && echo from-shell > /home/project/workspace/shell.txt")
    check(r.success, f"execute failed: {r.error_message}")
    w = s1.file.write("/home/project/workspace/a.txt", "persist me")
    check(w.success, f"file.write failed: {w.error_message}")
    d = agb.delete(s1, sync_context=True)
    check(d.success, f"delete failed: {d.error_message}")
    s2 = new_session([ContextSync.new(ctx.id, "/home/project", policy)])
    try:
        a = s2.file.read("/home/project/workspace/a.txt")
        check(a.success and a.content == "persist me", f"a.txt: {a.success} {a.content!r} {a.error_message}")
        b = sh(s2, "cat /home/project/workspace/shell.txt")
        check(b.success and b.stdout.strip() == "from-shell", f"shell.txt: {b.output!r} {b.error_message}")
    finally:
        agb.delete(s2)

# ---- c. context CRUD ----
@flow("c  context list / get by id / update (rename) / delete; get of deleted id fails")
def f_context_crud():
    name = f"crud-{RUN}"
    c = agb.context.create(name)
    check(c.success, f"create: {c.error_message}")
    ctx = c.context
    lst = agb.context.list()
    check(lst.success, f"list: {lst.error_message}")
    from agb.context import ContextListParams
    lst = agb.context.list(ContextListParams(max_results=100))
    check(any(x.id == ctx.id for x in lst.contexts), f"list(max_results=100) lacks {ctx.id}: {[x.name for x in lst.contexts]}")
    g = agb.context.get(context_id=ctx.id)
    check(g.success and g.context.name == name, f"get by id: {g.error_message}")
    ctx.name = name + "-renamed"
    u = agb.context.update(ctx)
    check(u.success, f"update: {u.error_message}")
    g2 = agb.context.get(context_id=ctx.id)
    check(g2.success and g2.context.name == name + "-renamed", f"rename not visible: {g2.context and g2.context.name}")
    dl = agb.context.delete(ctx)
    check(dl.success, f"delete: {dl.error_message}")
    g3 = agb.context.get(context_id=ctx.id)
    check(not g3.success, "get of a deleted id succeeded")
    check(g3.error_message, "get of a deleted id: empty error message")

# ---- d. session.context.sync / info ----
@flow("d  session.context.sync() + info(); sync(context_id, path, mode='download')")
def f_sync():
    ctx = agb.context.create(f"sync-{RUN}").context
    s = new_session([ContextSync.new(ctx.id, "/home/data", SyncPolicy())])
    try:
        info0 = s.context.info()
        check(info0.success, f"info after create: {info0.error_message}")
        check(any(i.task_type == "download" for i in info0.context_status_data), "no download task registered at create")
        check(s.file.write("/home/data/x.txt", "X").success, "write x.txt")
        r = asyncio.run(s.context.sync())
        check(r.success, f"sync(): {r.error_message}")
        check(r.request_id, "sync(): empty request_id")
        info = s.context.info()
        check(info.success, f"info: {info.error_message}")
        up = [i for i in info.context_status_data if i.task_type == "upload"]
        check(up and all(i.status == "Success" for i in up), f"no successful upload item: {[(i.task_type, i.status) for i in info.context_status_data]}")
        fi = s.context.info(context_id=ctx.id, path="/home/data", task_type="upload")
        check(fi.success and fi.context_status_data, "filtered info empty")
        check(sh(s, "rm /home/data/x.txt").success, "rm")
        r2 = asyncio.run(s.context.sync(ctx.id, "/home/data", mode="download"))
        check(r2.success, f"sync download: {r2.error_message}")
        rd = s.file.read("/home/data/x.txt")
        check(rd.success and rd.content == "X", f"download did not restore x.txt: {rd.error_message}")
        bad = asyncio.run(s.context.sync(context_id=ctx.id))
        check(not bad.success, "sync(context_id without path) should fail client side")
    finally:
        agb.delete(s)

# ---- e. file system ----
@flow("e  file: write 100k + read, read bytes, list, mkdir, info, move, remove, edit, search, read_batch")
def f_files():
    s = new_session()
    try:
        big = ("0123456789abcdefghij" * 5000)
        check(len(big) == 100000, "size")
        w = s.file.write("/tmp/fs/big.txt", big)
        check(w.success, f"write 100k: {w.error_message}")
        r = s.file.read("/tmp/fs/big.txt")
        check(r.success and r.content == big, f"read 100k: success={r.success} len={len(r.content or '')} {r.error_message}")
        check(sh(s, "printf '\\000\\001\\377\\376' > /tmp/fs/bin.dat").success, "create binary")
        rb = s.file.read("/tmp/fs/bin.dat", format="bytes")
        check(rb.success and rb.content == b"\x00\x01\xff\xfe", f"read bytes: {rb.content!r} {rb.error_message}")
        m = s.file.mkdir("/tmp/fs/sub/deeper")
        check(m.success, f"mkdir: {m.error_message}")
        check(s.file.mkdir("/tmp/fs/sub/deeper").success, "mkdir existing dir must succeed")
        ls = s.file.list("/tmp/fs")
        names = {e["name"]: e["isDirectory"] for e in ls.entries}
        check(ls.success and names.get("sub") is True and names.get("big.txt") is False, f"list: {ls.entries} {ls.error_message}")
        inf = s.file.info("/tmp/fs/big.txt")
        check(inf.success and inf.file_info.get("size") == 100000 and inf.file_info.get("isDirectory") is False, f"info: {inf.file_info} {inf.error_message}")
        check(s.file.write("/tmp/fs/e.txt", "hello world\n").success, "write e.txt")
        ed = s.file.edit("/tmp/fs/e.txt", [{"oldText": "world", "newText": "there"}])
        check(ed.success, f"edit: {ed.error_message}")
        check(s.file.read("/tmp/fs/e.txt").content == "hello there\n", "edit result")
        check(not s.file.edit("/tmp/fs/e.txt", [{"oldText": "absent", "newText": "x"}]).success, "edit of missing text must fail")
        mv = s.file.move("/tmp/fs/e.txt", "/tmp/fs/sub/moved.txt")
        check(mv.success, f"move: {mv.error_message}")
        check(not s.file.info("/tmp/fs/e.txt").success, "source still exists after move")
        se = s.file.search("/tmp/fs", "*.txt")
        check(se.success and any(p.endswith("/sub/moved.txt") for p in se.matches) and any(p.endswith("/big.txt") for p in se.matches), f"search: {se.matches} {se.error_message}")
        none = s.file.search("/tmp/fs", "nothing-matches-this")
        check(none.success and none.matches == [], f"search no match: {none.matches}")
        check(s.file.write("/tmp/fs/m1.txt", "one").success and s.file.write("/tmp/fs/m2.txt", "two").success, "write m*")
        rbat = s.file.read_batch(["/tmp/fs/m1.txt", "/tmp/fs/m2.txt"])
        check(rbat.success and rbat.contents.get("/tmp/fs/m1.txt") == "one" and rbat.contents.get("/tmp/fs/m2.txt") == "two", f"read_batch: {rbat.contents} {rbat.error_message}")
        rm = s.file.remove("/tmp/fs/sub/moved.txt")
        check(rm.success, f"remove: {rm.error_message}")
        check(not s.file.info("/tmp/fs/sub/moved.txt").success, "info after remove must fail")
        check(not s.file.read("/tmp/fs/missing.txt").success, "read of missing file must fail")
    finally:
        agb.delete(s)

# ---- f. command ----
@flow("f  command: echo, non-zero exit, cwd, envs, timeout")
def f_command():
    s = new_session()
    try:
        r = sh(s, "echo hi")
        check(r.success and r.exit_code == 0 and r.stdout == "hi\n" and r.output == "hi\n", f"echo: {vars(r)}")
        r = sh(s, "echo oops >&2; exit 3")
        check(not r.success and r.exit_code == 3 and "oops" in r.stderr and r.error_message, f"non-zero: {vars(r)}")
        r = sh(s, "pwd", cwd="/tmp")
        check(r.success and r.stdout.strip() == "/tmp", f"cwd: {vars(r)}")
        r = sh(s, "echo $FOO-$BAR", envs={"FOO": "a b", "BAR": "c"})
        check(r.success and r.stdout.strip() == "a b-c", f"envs: {vars(r)}")
        t0 = time.time()
        r = sh(s, "sleep 5", timeout_ms=1000)
        check(not r.success and time.time() - t0 < 4.5, f"timeout: {vars(r)} after {time.time()-t0:.1f}s")
        r = sh(s, "sleep 2; echo done", timeout_ms=5000)
        check(r.success and r.stdout.strip() == "done", f"long timeout: {vars(r)}")
    finally:
        agb.delete(s)

# ---- g. session management ----
@flow("g  agb.get(id), agb.list(labels), set/get_labels, keep_alive, get_status")
def f_sessions():
    lab = {"suite": f"compat-{RUN}", "kind": "g"}
    s = new_session(labels=lab)
    try:
        g = agb.get(s.session_id)
        check(g.success and g.session.session_id == s.session_id, f"get: {g.error_message}")
        gs = agb.get_session(s.session_id)
        check(gs.success and gs.http_status_code == 200 and gs.code in ("ok", "") and gs.data.status == "RUNNING", f"get_session: {vars(gs)}")
        r = g.session.command.execute("echo via-get")
        check(r.success and r.stdout.strip() == "via-get", f"execute via agb.get session: {r.error_message}")
        lst = agb.list(labels={"suite": f"compat-{RUN}"})
        check(lst.success and s.session_id in lst.session_ids, f"list(labels): {lst.session_ids} {lst.error_message}")
        check(agb.list().success, "list() without labels")
        other = agb.list(labels={"suite": "no-such-suite"})
        check(other.success and s.session_id not in other.session_ids, "label filter not applied")
        sl = s.set_labels({"suite": f"compat-{RUN}", "kind": "changed"})
        check(sl.success, f"set_labels: {sl.error_message}")
        gl = s.get_labels()
        check(gl.success and gl.data == {"suite": f"compat-{RUN}", "kind": "changed"}, f"get_labels: {gl.data} {gl.error_message}")
        ka = s.keep_alive()
        check(ka.success, f"keep_alive: {ka.error_message}")
        st = s.get_status()
        check(st.success and st.status == "RUNNING", f"get_status: {vars(st)}")
    finally:
        d = agb.delete(s)
        check(d.success, f"delete: {d.error_message}")
    st = s.get_status()
    check(not st.success or st.status in ("FINISH", "DELETED"), "status after delete")
    after = agb.list(labels={"suite": f"compat-{RUN}"})
    check(after.success and s.session_id not in after.session_ids, "released session still listed")

# ---- h. error paths ----
@flow("h1 wrong API key is rejected (context, create, list)")
def f_bad_key():
    bad = AGB(api_key="akm-definitely-not-valid")
    r = bad.context.get(f"x-{RUN}", create=True)
    check(not r.success and r.error_message, f"context.get with bad key: {r.success} {r.error_message}")
    c = bad.create(CreateSessionParams(image_id=IMAGE))
    check(not c.success and c.error_message, f"create with bad key: {c.success} {c.error_message}")
    l = bad.list()
    check(not l.success, "list with bad key succeeded")

@flow("h2 unknown session id: get fails, tool call fails")
def f_unknown_session():
    g = agb.get("sess-does-not-exist")
    check(not g.success and g.error_message, f"get unknown: {g.error_message}")
    from agb.session import Session
    ghost = Session(agb, "sess-does-not-exist")
    r = ghost.command.execute("echo hi")
    check(not r.success and r.error_message, f"execute on unknown session: {vars(r)}")
    st = ghost.get_status()
    check(not st.success and (st.code == "InvalidMcpSession.NotFound" or "not found" in st.error_message.lower()), f"get_status unknown: {vars(st)}")

@flow("h3 wildcard whitelist path rejected client side")
def f_wildcard():
    try:
        WhiteList(path="/home/*.txt")
    except ValueError:
        pass
    else:
        raise AssertionError("WhiteList with wildcard accepted")
    try:
        SyncPolicy(bw_list=BWList(white_lists=[WhiteList(path="/data", exclude_paths=["/data/[ab]"])]))
    except ValueError:
        pass
    else:
        raise AssertionError("exclude_paths with wildcard accepted")

FLOWS = [f_readme, f_quickstart, f_scenario1, f_context_crud, f_sync, f_files, f_command, f_sessions, f_bad_key, f_unknown_session, f_wildcard]

if __name__ == "__main__":
    only = set(sys.argv[1:])
    for fl in FLOWS:
        if not only or fl.__name__ in only:
            fl()
    passed = sum(1 for r in results if r[1]); failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)
