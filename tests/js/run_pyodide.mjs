// Run Python in Pyodide under Node, offline: the npm package ships the interpreter and the standard
// library only (numpy, pandas and PyYAML would come from a CDN, so they are not there).
//
//   node run_pyodide.mjs [--sys-path=ZIP] wheel WHEEL.whl SCRIPT.py [ARGS...]   the wheel unpacked into site-packages
//   node run_pyodide.mjs [--sys-path=ZIP] lite  MAIN.py  SCRIPT.py [ARGS...]    xlwings Lite's main.py imported as `main`
//
// SCRIPT runs as __main__ with sys.argv = [SCRIPT, ...ARGS]; an argument holding a / is a host path, readable
// and writable (the host's / is mounted at /host); others pass as they are. --sys-path puts a zip of pure-Python packages
// (xlwings) on sys.path first; the XLWINGS_* environment variables are passed on, before anything
// is imported. Exit code 1 when the script raises.
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadPyodide } from "pyodide";

const argv = process.argv.slice(2);
const extra = argv.filter((a) => a.startsWith("--sys-path=")).map((a) => a.slice("--sys-path=".length));
const [mode, artefact, script, ...args] = argv.filter((a) => !a.startsWith("--sys-path="));
if (!["wheel", "lite"].includes(mode) || !artefact || !script) {
  console.error("usage: node run_pyodide.mjs wheel|lite ARTEFACT SCRIPT.py [ARGS...]");
  process.exit(2);
}
const py = await loadPyodide({ stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
py.FS.mkdirTree("/host");
py.FS.mount(py.FS.filesystems.NODEFS, { root: "/" }, "/host");
const host = (p) => "/host" + path.resolve(p);
py.globals.set("MODE", mode);
py.globals.set("ARTEFACT", host(artefact));
py.globals.set("SCRIPT", host(script));
py.globals.set("ARGS", py.toPy(args.map((a) => (a.includes(path.sep) ? host(a) : a))));  // paths go through /host
py.globals.set("EXTRA", py.toPy(extra.map(host)));
py.globals.set("ENV", py.toPy(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("XLWINGS_")))));
try {
  await py.runPythonAsync(`
import os, runpy, site, sys, zipfile
os.environ.update(ENV)
sys.path[:0] = list(EXTRA)
if MODE == "wheel":
    zipfile.ZipFile(ARTEFACT).extractall(site.getsitepackages()[0])
else:
    import shutil
    os.makedirs("/home/pyodide/lite", exist_ok=True)
    shutil.copy(ARTEFACT, "/home/pyodide/lite/main.py")
    sys.path.insert(0, "/home/pyodide/lite")
    import main  # what xlwings Lite does when the workbook opens
sys.argv = [SCRIPT, *ARGS]
runpy.run_path(SCRIPT, run_name="__main__")
`);
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
