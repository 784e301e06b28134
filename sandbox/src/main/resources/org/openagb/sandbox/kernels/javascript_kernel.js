// OpenAGB JavaScript kernel: runs inside a session sandbox, started by org.openagb.sandbox.internal.Kernel with
// fd 3 as its private reply channel (fds 1 and 2 go to the kernel log, so child processes cannot forge replies).
// Requests: one JSON object per stdin line {"id", "code"}. Replies: frames "<byte length>\n<UTF-8 JSON>" on fd 3.
// A request with "stream": true also gets its output as it is written, before its reply:
// {"id", "stream": "stdout"|"stderr", "text"}.
// Code runs in one persistent vm context; console.* and process.stdout/stderr writes become stdout/stderr chunks;
// the script's completion value (awaited when it is a promise) is the main result, as util.inspect text.
const fs = require('fs');
const util = require('util');
const vm = require('vm');
const readline = require('readline');

const OUTPUT_CAP = Number(process.env.OPENAGB_OUTPUT_CAP) || 1024 * 1024;
delete process.env.OPENAGB_OUTPUT_CAP;
const PROTO = 3;

function send(obj) {
  const data = Buffer.from(JSON.stringify(obj), 'utf8');
  fs.writeSync(PROTO, Buffer.concat([Buffer.from(data.length + '\n', 'ascii'), data]));
}

let streamId = null; // the id of the running request when it streams its output

function makeStream(name) {
  const s = { name, chunks: [], pending: '', kept: 0, truncated: false };
  const note = () => '[' + name + ' truncated after ' + OUTPUT_CAP + ' bytes]\n';
  const stream = (text) => { if (streamId !== null && text) send({ id: streamId, stream: name, text }); };
  s.add = (text) => {
    text = String(text);
    const room = OUTPUT_CAP - s.kept;
    const cut = text.length > room;
    text = text.slice(0, Math.max(room, 0));
    stream(text);
    if (cut && !s.truncated) { s.truncated = true; stream(note()); }
    if (!text) return;
    s.kept += text.length;
    s.pending += text;
    let i;
    while ((i = s.pending.indexOf('\n')) >= 0) {
      s.chunks.push(s.pending.slice(0, i + 1));
      s.pending = s.pending.slice(i + 1);
    }
  };
  s.take = () => {
    const out = s.chunks;
    if (s.pending) out.push(s.pending);
    if (s.truncated) out.push(note());
    s.chunks = []; s.pending = ''; s.kept = 0; s.truncated = false;
    return out;
  };
  return s;
}
const OUT = makeStream('stdout');
const ERR = makeStream('stderr');
const capture = (stream) => function (chunk, encoding, cb) {
  stream.add(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk);
  if (typeof encoding === 'function') encoding();
  else if (typeof cb === 'function') cb();
  return true;
};
process.stdout.write = capture(OUT);
process.stderr.write = capture(ERR);
const userConsole = new console.Console({ stdout: process.stdout, stderr: process.stderr });

const sandbox = {
  console: userConsole, require, process, Buffer, URL, URLSearchParams, TextEncoder, TextDecoder,
  setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, queueMicrotask,
  structuredClone, AbortController, fetch: globalThis.fetch,
};
sandbox.globalThis = sandbox;
const context = vm.createContext(sandbox);
vm.runInContext('var module = { exports: {} }; var exports = module.exports;', context);

let interrupt = null;
process.on('SIGINT', () => { if (interrupt) interrupt(); });

function errorText(e) {
  if (e && typeof e === 'object' && 'name' in e && 'message' in e) return e.name + ': ' + e.message;
  return 'Uncaught: ' + util.inspect(e);
}

// The error's stack without the kernel's own frames.
function stackText(e) {
  if (!(e && typeof e.stack === 'string')) return util.inspect(e);
  const lines = e.stack.split('\n');
  return [lines[0], ...lines.slice(1).filter((l) => l.includes('<cell>'))].join('\n');
}

async function execute(code) {
  let script;
  try {
    script = new vm.Script(code, { filename: '<cell>' });
  } catch (e) {
    if (!(e instanceof SyntaxError) || !/\bawait\b/.test(code)) throw e;
    // Top-level await: run the cell as an async function (its declarations stay local to this call).
    script = new vm.Script('(async () => {\n' + code + '\n})()', { filename: '<cell>' });
  }
  let value = script.runInContext(context, { breakOnSigint: true, displayErrors: false });
  if (value && typeof value.then === 'function') {
    value = await Promise.race([
      value,
      new Promise((_, reject) => { interrupt = () => reject(new Error('Script execution interrupted.')); }),
    ]);
  }
  return value;
}

let queue = Promise.resolve();
const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const request = JSON.parse(line);
  queue = queue.then(async () => {
    streamId = request.stream ? request.id : null;
    const results = [];
    let error = '';
    const started = process.hrtime.bigint();
    try {
      const value = await execute(request.code);
      if (value !== undefined) results.push({ 'text/plain': util.inspect(value), isMainResult: true });
    } catch (e) {
      error = errorText(e);
      ERR.add(stackText(e) + '\n');
    } finally {
      interrupt = null;
    }
    await new Promise((resolve) => setImmediate(resolve));
    const stdout = OUT.take();
    const stderr = ERR.take();
    streamId = null;
    send({ id: request.id, results, stdout, stderr, error, time: Number(process.hrtime.bigint() - started) / 1e9 });
  });
});
rl.on('close', () => process.exit(0));
send({ ready: true, language: 'javascript', pid: process.pid, executable: process.execPath, version: process.version });
