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
    UploadMode, UploadStrategy, DownloadStrategy, WhiteList, BWList, ExtractPolicy, RecyclePolicy, Lifecycle
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

# ---- i..q: seed scenarios (context-sync-overview) and file transfer / code ----
def ctx_names(ctx_id, folder, page_size=50):
    r = agb.context.list_files(ctx_id, folder, page_number=1, page_size=page_size)
    check(r.success, f"list_files({folder}): {r.error_message}")
    return sorted(e.file_name for e in r.entries)

def put_object(ctx_id, path, data):
    u = agb.context.get_file_upload_url(ctx_id, path)
    check(u.success and u.url and u.request_id, f"get_file_upload_url({path}): {u.error_message}")
    check(isinstance(u.expire_time, int), f"expire_time not int: {u.expire_time!r}")
    r = requests.put(u.url, data=data)
    check(r.status_code in (200, 204), f"PUT {path}: HTTP {r.status_code} {r.text[:200]}")

def read_text(session, path):
    r = session.file.read(path)
    return r.content if r.success else None

@flow("i  Scenario 2 large files: ARCHIVE mode + ExtractPolicy at /home/project/.config/google-chrome")
def f_archive():
    ctx = agb.context.create(f"archive-{RUN}").context
    mount = "/home/project/.config/google-chrome"
    policy = SyncPolicy(
        upload_policy=UploadPolicy(auto_upload=True, upload_strategy=UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, upload_mode=UploadMode.ARCHIVE),
        download_policy=DownloadPolicy(auto_download=True, download_strategy=DownloadStrategy.DOWNLOAD_ASYNC),
        extract_policy=ExtractPolicy(extract=True, delete_src_file=True, extract_current_folder=True))
    s1 = new_session([ContextSync.new(ctx.id, mount, policy)])
    check(sh(s1, f"mkdir -p '{mount}/Default' && echo cookie > '{mount}/Default/Cookies' && head -c 300000 /dev/urandom > '{mount}/big.bin'").success, "write via shell")
    check(s1.file.write(f"{mount}/Local State", '{"a":1}').success, "file.write Local State")
    big = s1.file.read(f"{mount}/big.bin", format="bytes").content
    check(agb.delete(s1, sync_context=True).success, "delete s1")
    names = ctx_names(ctx.id, mount)
    check(names == ["google-chrome.zip"], f"list_files({mount}) = {names}, expected ['google-chrome.zip']")
    s2 = new_session([ContextSync.new(ctx.id, mount, policy)])
    try:
        check(read_text(s2, f"{mount}/Default/Cookies") == "cookie\n", "Default/Cookies not restored")
        check(read_text(s2, f"{mount}/Local State") == '{"a":1}', "Local State not restored")
        check(s2.file.read(f"{mount}/big.bin", format="bytes").content == big, "big.bin differs")
        ls = s2.file.list(mount)
        check(ls.success and not any(e["name"].endswith(".zip") for e in ls.entries), f"zip not deleted after extract: {ls.entries}")
    finally:
        agb.delete(s2)

@flow("j  read-only data: UploadPolicy(auto_upload=False) never uploads on delete")
def f_read_only():
    ctx = agb.context.create(f"readonly-{RUN}").context
    s1 = new_session([ContextSync.new(ctx.id, "/home/project", SyncPolicy())])
    check(s1.file.write("/home/project/seed.txt", "original").success, "write seed")
    check(agb.delete(s1, sync_context=True).success, "delete s1")
    ro = SyncPolicy(upload_policy=UploadPolicy(auto_upload=False),
                    download_policy=DownloadPolicy(auto_download=True, download_strategy=DownloadStrategy.DOWNLOAD_ASYNC))
    s2 = new_session([ContextSync.new(ctx.id, "/home/project", ro)])
    check(read_text(s2, "/home/project/seed.txt") == "original", "read-only session did not download seed.txt")
    check(s2.file.write("/home/project/seed.txt", "changed").success and s2.file.write("/home/project/new.txt", "new").success, "write in s2")
    check(agb.delete(s2).success, "delete s2")
    names = ctx_names(ctx.id, "/home/project")
    check("new.txt" not in names, f"new.txt was uploaded by an auto_upload=False session: {names}")
    s3 = new_session([ContextSync.new(ctx.id, "/home/project", SyncPolicy())])
    try:
        check(read_text(s3, "/home/project/seed.txt") == "original", f"seed.txt changed: {read_text(s3, '/home/project/seed.txt')!r}")
        check(read_text(s3, "/home/project/new.txt") is None, "new.txt present in a later session")
    finally:
        agb.delete(s3)

@flow("k  whitelist (BWList/WhiteList with exclude_paths) on upload and download")
def f_whitelist():
    ctx = agb.context.create(f"wl-{RUN}").context
    policy = SyncPolicy(upload_policy=UploadPolicy(auto_upload=True), download_policy=DownloadPolicy(auto_download=True),
                        bw_list=BWList(white_lists=[WhiteList(path="/src", exclude_paths=["/node_modules", "/dist"]), WhiteList(path="/config")]))
    m = "/home/project"
    s1 = new_session([ContextSync.new(ctx.id, m, policy)])
    check(sh(s1, f"mkdir -p {m}/src/node_modules/p {m}/src/dist {m}/src/lib {m}/config {m}/other && echo a > {m}/src/a.js && echo l > {m}/src/lib/l.js"
                 f" && echo n > {m}/src/node_modules/p/n.js && echo d > {m}/src/dist/d.js && echo c > {m}/config/c.json && echo o > {m}/other/o.txt").success, "write tree")
    check(agb.delete(s1, sync_context=True).success, "delete s1")
    check(ctx_names(ctx.id, m) == ["config", "src"], f"upload: root listing {ctx_names(ctx.id, m)}")
    check(ctx_names(ctx.id, f"{m}/src") == ["a.js", "lib"], f"upload: src listing {ctx_names(ctx.id, m + '/src')}")
    # download side: objects outside the whitelist (or excluded) put straight into the context are not downloaded
    put_object(ctx.id, f"{m}/other/direct.txt", b"x")
    put_object(ctx.id, f"{m}/src/dist/direct.js", b"x")
    put_object(ctx.id, f"{m}/src/node_modules/direct.js", b"x")
    put_object(ctx.id, f"{m}/src/direct2.js", b"ok")
    s2 = new_session([ContextSync.new(ctx.id, m, policy)])
    try:
        check(read_text(s2, f"{m}/src/a.js") == "a\n" and read_text(s2, f"{m}/src/lib/l.js") == "l\n" and read_text(s2, f"{m}/config/c.json") == "c\n", "whitelisted files missing")
        check(read_text(s2, f"{m}/src/direct2.js") == "ok", "whitelisted object put via URL not downloaded")
        for p in (f"{m}/other/direct.txt", f"{m}/src/dist/direct.js", f"{m}/src/node_modules/direct.js", f"{m}/other/o.txt"):
            check(read_text(s2, p) is None, f"download: {p} should not be downloaded (outside whitelist/excluded)")
    finally:
        agb.delete(s2)

@flow("l  RecyclePolicy(LIFECYCLE_30DAYS, paths=['']) accepted; invalid ones rejected client side")
def f_recycle():
    ctx = agb.context.create(f"recycle-{RUN}").context
    policy = SyncPolicy(upload_policy=UploadPolicy(auto_upload=True), download_policy=DownloadPolicy(auto_download=True),
                        recycle_policy=RecyclePolicy(lifecycle=Lifecycle.LIFECYCLE_30DAYS, paths=[""]))
    check('"Lifecycle_30Days"' in __import__("json").dumps(policy.to_dict()), f"policy JSON lacks Lifecycle_30Days: {policy.to_dict()}")
    s1 = new_session([ContextSync.new(ctx.id, "/home/project", policy)])
    check(s1.file.write("/home/project/r.txt", "recycle").success, "write")
    check(agb.delete(s1, sync_context=True).success, "delete s1")
    s2 = new_session([ContextSync.new(ctx.id, "/home/project", policy)])
    try:
        check(read_text(s2, "/home/project/r.txt") == "recycle", "r.txt not persisted with a recycle policy")
    finally:
        agb.delete(s2)
    for bad in (lambda: RecyclePolicy(lifecycle="Lifecycle_30Days"), lambda: RecyclePolicy(lifecycle=Lifecycle.LIFECYCLE_30DAYS, paths=["/data/*"])):
        try:
            bad()
        except ValueError:
            continue
        raise AssertionError("invalid RecyclePolicy accepted")

@flow("m  mount paths: /home/project and /tmp/workspace work; /opt fails with an error")
def f_mount_paths():
    for mount in ("/home/project", "/tmp/workspace"):
        ctx = agb.context.create(f"mount-{mount.strip('/').replace('/', '-')}-{RUN}").context
        s1 = new_session([ContextSync.new(ctx.id, mount, SyncPolicy())])
        check(s1.file.write(f"{mount}/m.txt", mount).success, f"write under {mount}")
        check(agb.delete(s1, sync_context=True).success, "delete")
        s2 = new_session([ContextSync.new(ctx.id, mount, SyncPolicy())])
        try:
            check(read_text(s2, f"{mount}/m.txt") == mount, f"{mount}: m.txt not persisted")
        finally:
            agb.delete(s2)
    ctx = agb.context.create(f"mount-opt-{RUN}").context
    r = agb.create(CreateSessionParams(image_id=IMAGE, context_syncs=[ContextSync.new(ctx.id, "/opt", SyncPolicy())]))
    if r.success and r.session is not None:
        agb.delete(r.session)
        raise AssertionError("create with a context mounted at /opt succeeded")
    check(r.error_message, "create at /opt failed without an error message")

@flow("n  agb.delete(session, sync_context=True) then an immediate new session sees the data")
def f_delete_sync():
    ctx = agb.context.create(f"delsync-{RUN}").context
    s1 = new_session([ContextSync.new(ctx.id, "/home/project", SyncPolicy())])
    check(sh(s1, "mkdir -p /home/project/d/e && seq 1 20000 > /home/project/d/e/seq.txt && echo top > /home/project/top.txt").success, "write")
    check(agb.delete(s1, sync_context=True).success, "delete with sync")
    s2 = new_session([ContextSync.new(ctx.id, "/home/project", SyncPolicy())])
    try:
        r = sh(s2, "wc -l < /home/project/d/e/seq.txt; cat /home/project/top.txt")
        check(r.success and r.stdout.split() == ["20000", "top"], f"data not visible immediately: {r.output!r}")
    finally:
        agb.delete(s2)

@flow("o  context file ops: upload/download URLs, list_files paging, delete_file, clear")
def f_context_files():
    ctx = agb.context.create(f"files-{RUN}").context
    payload = os.urandom(5120)
    put_object(ctx.id, "/data/f1.bin", payload)
    d = agb.context.get_file_download_url(ctx.id, "/data/f1.bin")
    check(d.success and d.url, f"get_file_download_url: {d.error_message}")
    g = requests.get(d.url)
    check(g.status_code == 200 and g.content == payload, f"GET download url: HTTP {g.status_code}, {len(g.content)} bytes")
    for i in (2, 3, 4):
        put_object(ctx.id, f"/data/f{i}.bin", f"file {i}".encode())
    p1 = agb.context.list_files(ctx.id, "/data", page_number=1, page_size=2)
    p2 = agb.context.list_files(ctx.id, "/data", page_number=2, page_size=2)
    check(p1.success and p2.success, f"list_files: {p1.error_message} {p2.error_message}")
    check(len(p1.entries) == 2 and len(p2.entries) == 2 and p1.count == 4, f"paging: {len(p1.entries)}+{len(p2.entries)} count={p1.count}")
    names = sorted(e.file_name for e in p1.entries + p2.entries)
    check(names == ["f1.bin", "f2.bin", "f3.bin", "f4.bin"], f"paged names {names}")
    e1 = [e for e in p1.entries + p2.entries if e.file_name == "f1.bin"][0]
    check(e1.size == 5120 and e1.file_path == "/data/f1.bin", f"entry fields: size={e1.size} path={e1.file_path}")
    check(ctx_names(ctx.id, "") == ["data"] and ctx_names(ctx.id, "/") == ["data"], f"root listing: {ctx_names(ctx.id, '')}")
    dl = agb.context.delete_file(ctx.id, "/data/f1.bin")
    check(dl.success, f"delete_file: {dl.error_message}")
    check("f1.bin" not in ctx_names(ctx.id, "/data"), "deleted file still listed")
    check(not agb.context.get_file_download_url(ctx.id, "/data/f1.bin").success, "download url of a deleted file succeeded")
    check(not agb.context.delete_file(ctx.id, "/data/nope.bin").success, "delete_file of a missing key succeeded")
    check(not agb.context.get_file_upload_url("", "/x").success, "empty context_id accepted")
    cl = agb.context.clear(ctx.id, timeout=30, poll_interval=1.0)
    check(cl.success and cl.status == "available", f"clear: {cl.success} {cl.status} {cl.error_message}")
    check(ctx_names(ctx.id, "/data") == [], f"files left after clear: {ctx_names(ctx.id, '/data')}")

@flow("p  file transfer: file.upload + read(bytes), file.download, transfer_path")
def f_file_transfer():
    import tempfile
    s = new_session()
    tmp = tempfile.mkdtemp(prefix="agb-ft-")
    try:
        check(s.file.transfer_path() == "/tmp/file_transfer", f"transfer_path: {s.file.transfer_path()!r}")
        data = os.urandom(200 * 1024) + b"\x00\xff"
        local = os.path.join(tmp, "test_binary.dat")
        with open(local, "wb") as f:
            f.write(data)
        up = s.file.upload(local, "/tmp/test_binary.dat")
        check(up.success, f"upload: {up.error_message}")
        check(up.request_id_upload_url and up.request_id_sync and up.bytes_sent == len(data), f"upload fields: {vars(up)}")
        rb = s.file.read("/tmp/test_binary.dat", format="bytes")
        check(rb.success and rb.content == data, f"read bytes after upload: {rb.success} {len(rb.content or b'')} {rb.error_message}")
        out = os.path.join(tmp, "down.dat")
        dn = s.file.download("/tmp/test_binary.dat", out)
        check(dn.success and dn.request_id_download_url and dn.request_id_sync, f"download: {dn.error_message}")
        check(open(out, "rb").read() == data, "downloaded bytes differ")
        check(sh(s, "head -c 4096 /dev/urandom > /tmp/file_transfer/gen.bin").success, "generate in sandbox")
        gen = s.file.read("/tmp/file_transfer/gen.bin", format="bytes").content
        out2 = os.path.join(tmp, "gen.bin")
        dn2 = s.file.download("/tmp/file_transfer/gen.bin", out2)
        check(dn2.success and open(out2, "rb").read() == gen, f"download of sandbox-made file: {dn2.error_message}")
        bad = s.file.upload(os.path.join(tmp, "missing"), "/tmp/x")
        check(not bad.success, "upload of a missing local file succeeded")
    finally:
        agb.delete(s)

@flow("q  code.run: state kept (x=41; x+1 -> 42), print -> stdout, exception -> error, javascript console.log")
def f_code():
    s = new_session()
    try:
        r1 = s.code.run("x = 41", "python")
        check(r1.success, f"run x=41: {r1.error_message}")
        r2 = s.code.run("x + 1", "python")
        main = [r.text for r in r2.results if r.is_main_result]
        check(r2.success and main == ["42"] and r2.result == "42", f"x+1: success={r2.success} main={main} {r2.error_message}")
        r3 = s.code.run("print('hello from print')", "python")
        check(r3.success and "hello from print" in "".join(r3.logs.stdout), f"print: {r3.logs} {r3.error_message}")
        r4 = s.code.run("raise ValueError('boom')", "python")
        check(not r4.success and "boom" in r4.error_message and r4.error is not None, f"exception: success={r4.success} {r4.error_message!r}")
        r5 = s.code.run("console.log('js-ok', 1 + 2)", "javascript")
        check(r5.success and "js-ok 3" in "".join(r5.logs.stdout), f"javascript: {r5.logs} {r5.error_message}")
        r6 = s.code.run("1", "cobol")
        check(not r6.success and "Unsupported language" in r6.error_message, "unsupported language accepted")
    finally:
        agb.delete(s)

FLOWS = [f_readme, f_quickstart, f_scenario1, f_context_crud, f_sync, f_files, f_command, f_sessions, f_bad_key, f_unknown_session, f_wildcard,
         f_archive, f_read_only, f_whitelist, f_recycle, f_mount_paths, f_delete_sync, f_context_files, f_file_transfer, f_code]

if __name__ == "__main__":
    only = set(sys.argv[1:])
    for fl in FLOWS:
        if not only or fl.__name__ in only:
            fl()
    passed = sum(1 for r in results if r[1]); failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)
