"""Benchmark of `edu-metrics extract`: throughput, memory, and cost as rules multiply.

Builds a corpus of the chosen size from seeds/ (numbers and years varied, so no two
documents are the same), then measures in one run: a bare `regex` scan for numerals (the
yardstick), end-to-end extraction with --jobs 1 and --jobs 2 (MB/s, rows/s, peak memory),
throughput at growing corpus sizes, extraction with the built-in packs repeated to ten
times as many rules (copies, and copies for wording no document has), one big file (read in parts) and a cold start. Prints the figures and
the performance targets, met or not, and writes them to a JSON file.

    python benchmarks/bench.py [--size 50] [--sizes 1,10] [--single-mb 100] [--out benchmarks/results.json]
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "edu_metrics"]
NUMERALS = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?|[零〇一二两三四五六七八九十百千万亿]+")
FLAT_FROM_MB = 10
# A rule's one-line pattern (every built-in rule has one), its global flags kept in front.
OWN_PATTERN = re.compile(r"^(pattern = ')((?:\(\?[a-zA-Z]+\))?)(.*)'$", re.M)
# Runs a command and prints the largest resident set of it or any process it waited for.
PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); " \
       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def build_corpus(folder: Path, megabytes: float, seed: int = 7) -> tuple[int, list[Path]]:
    """Documents from the seeds with every number and year redrawn, until `megabytes` is reached."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    years = re.compile(r"20[0-9]{2}(?=年)")
    digits = re.compile(r"(?<![0-9])[0-9]+")
    total, files = 0, []
    while total < megabytes * 1e6:
        text = texts[len(files) % len(texts)]
        text = years.sub(lambda m: str(rng.randint(2015, 2025)), text)
        text = digits.sub(lambda m: str(rng.randint(10 ** (len(m[0]) - 1), 10 ** len(m[0]) - 1)), text)
        path = folder / f"{len(files) // 500:03}" / f"{len(files):06}.txt"
        path.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
        files.append(path)
    return total, files


def bare_scan(files: list[Path]) -> dict:
    start = time.perf_counter()
    size = count = 0
    for path in files:
        data = path.read_bytes()
        size += len(data)
        count += sum(1 for _ in NUMERALS.finditer(data.decode("utf-8")))
    seconds = time.perf_counter() - start
    return {"mb": size / 1e6, "seconds": seconds, "mb_per_s": size / 1e6 / seconds, "numerals": count}


def extract(corpus: Path, size: int, jobs: int, extra: list[str] = ()) -> dict:
    out = corpus.parent / "table.csv"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *CLI, "extract", str(corpus), "--jobs", str(jobs), "-q", "-o", str(out), *extra],
        check=True, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    rows = out.read_bytes().count(b"\n") - 1
    out.unlink()
    return {
        "jobs": jobs, "mb": size / 1e6, "seconds": seconds, "mb_per_s": size / 1e6 / seconds,
        "rows": rows, "rows_per_s": rows / seconds, "peak_rss_mb": int(done.stdout.split()[-1]) / 1024,
    }


def warm_up(document: Path, extra: list[str] = ()) -> None:
    """One run on a long text, so the prefilter's cache holds these rules before any timing."""
    long = document.parent / "warm-up.txt"
    long.write_text("\n".join([document.read_text(encoding="utf-8")] * 8), encoding="utf-8")
    subprocess.run([*CLI, "extract", str(long), "-q", *extra], check=True, capture_output=True)
    long.unlink()


def repeated_rules(folder: Path, times: int, other_wording: bool = False) -> int:
    """The built-in rules again (times - 1) times, under new pack names; returns the rule count.

    Copies match every figure the originals match. With `other_wording`, each copy's pattern
    must also end in words no document has, as a pack of rules for other constructions would:
    what such rules cost is the pass that finds they have nothing to scan."""
    count = 0
    for copy in range(1, times):
        for pack in sorted((ROOT / "rules").glob("*.toml")):
            data = (ROOT / "rules" / pack.name).read_text(encoding="utf-8")
            parsed = tomllib.loads(data)
            if not parsed.get("rules"):
                continue
            rules_only = data[data.index("[[rules]]"):]
            if other_wording:
                rules_only = OWN_PATTERN.sub(lambda m: f"{m[1]}{m[2]}(?:{m[3]})〔其他措辞{copy}〕'", rules_only)
            (folder / f"{pack.stem}{copy}.toml").write_text(rules_only, encoding="utf-8")
            count += len(parsed["rules"])
    return count


def subset(files: list[Path], megabytes: float, folder: Path) -> int:
    folder.mkdir()
    size = 0
    for path in files:
        if size >= megabytes * 1e6:
            break
        shutil.copy(path, folder / path.name)
        size += path.stat().st_size
    return size


def best_of(command: list[str], times: int = 5, env: dict | None = None) -> float:
    """The fastest of a few runs: start-up time without the noise of a busy machine."""
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def cold_start(folder: Path) -> dict:
    """A cold `extract` of one seed against `python -c "import regex"`, both with Python's bytecode
    cached as an installed package has it (a PYTHONDONTWRITEBYTECODE of the shell is not what a
    user's installation sees: it would time compiling our modules' source at every start)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    extract_s = best_of([*CLI, "extract", str(seed), "-q"], env=env)
    regex_s = best_of([sys.executable, "-c", "import regex"], env=env)
    return {"extract_s": extract_s, "import_regex_s": regex_s, "ratio": extract_s / regex_s}


def single_file(files: list[Path], megabytes: float, folder: Path) -> dict:
    """One text file of `megabytes`, the corpus's documents one after another: read in parts."""
    folder.mkdir()
    big = folder / "one.txt"
    size = 0
    with big.open("wb") as out:
        for path in files:
            if size >= megabytes * 1e6:
                break
            data = path.read_bytes()
            out.write(data + b"\n")
            size += len(data) + 1
    return extract(folder, size, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=50, help="corpus size in MB (default 50)")
    parser.add_argument("--sizes", default="10", help="smaller sizes for the flatness check, in MB (from 10 MB up count)")
    parser.add_argument("--rules-mb", type=float, default=5, help="corpus size for the rule-scaling runs")
    parser.add_argument("--single-mb", type=float, default=100, help="size of the one-file run, in MB")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="edu-metrics-bench-") as temp:
        temp = Path(temp)
        corpus = temp / "corpus"
        corpus.mkdir()
        size, files = build_corpus(corpus, args.size)
        print(f"corpus: {len(files)} documents, {size / 1e6:.1f} MB")
        results = {"corpus_mb": size / 1e6, "documents": len(files), "bare_scan": bare_scan(files)}
        bare = results["bare_scan"]["mb_per_s"]
        print(f"bare regex scan: {bare:.1f} MB/s")
        warm_up(files[0])
        results["extract"] = [extract(corpus, size, jobs) for jobs in (1, 2)]
        for run in results["extract"]:
            run["ratio_to_bare"] = run["mb_per_s"] / bare
            print(f"extract --jobs {run['jobs']}: {run['mb_per_s']:.2f} MB/s, {run['rows_per_s']:.0f} rows/s, "
                  f"peak {run['peak_rss_mb']:.0f} MB, {run['ratio_to_bare']:.3f} of the bare scan")
        results["sizes"] = []
        for mb in [float(s) for s in args.sizes.split(",") if s]:
            part = temp / f"part{mb:g}"
            results["sizes"].append(extract(part, subset(files, mb, part), 2))
        results["sizes"].append(results["extract"][1])
        for run in results["sizes"]:
            print(f"  {run['mb']:.1f} MB with --jobs 2: {run['mb_per_s']:.2f} MB/s, peak {run['peak_rss_mb']:.0f} MB")
        small = temp / "rules-corpus"
        small_size = subset(files, args.rules_mb, small)
        many = temp / "many-rules"
        many.mkdir()
        extra_rules = repeated_rules(many, 10)
        warm_up(files[0], ["--rules", str(many)])  # the prefilter of 10x the rules is compiled once, then cached
        base = extract(small, small_size, 1)
        tenfold = extract(small, small_size, 1, ["--rules", str(many)])
        other = temp / "other-rules"
        other.mkdir()
        repeated_rules(other, 10, other_wording=True)
        warm_up(files[0], ["--rules", str(other)])
        other_wording = extract(small, small_size, 1, ["--rules", str(other)])
        results["rules"] = {"extra_rules": extra_rules, "builtin": base, "ten_times": tenfold,
                            "cost_ratio": tenfold["seconds"] / base["seconds"],
                            "ten_times_other_wording": other_wording,
                            "other_wording_cost_ratio": other_wording["seconds"] / base["seconds"]}
        print(f"rules x10 (+{extra_rules} rules) on {small_size / 1e6:.1f} MB: "
              f"{base['seconds']:.1f} s → {tenfold['seconds']:.1f} s ({results['rules']['cost_ratio']:.2f}×); "
              f"of other wording: {other_wording['seconds']:.1f} s ({results['rules']['other_wording_cost_ratio']:.2f}×)")
        results["single_file"] = single_file(files, args.single_mb, temp / "single")
        run = results["single_file"]
        print(f"one {run['mb']:.0f} MB file: {run['mb_per_s']:.2f} MB/s, peak {run['peak_rss_mb']:.0f} MB")
        results["cold_start"] = cold_start(temp)
    print(f"cold extract of one seed: {results['cold_start']['extract_s']:.2f} s, "
          f"{results['cold_start']['ratio']:.1f}× `import regex`")
    results["targets"] = targets(results)
    for name, target in results["targets"].items():
        print(f"target {name}: {target['value']:.3g} (target {target['target']}) {'met' if target['met'] else 'NOT met'}")
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written {args.out}")


def targets(results: dict) -> dict:
    """The performance issue's targets, each with its measured value."""
    # Flat from 10 MB up, as the issue asks: below that, start-up (a second or so) is most of the run.
    speeds = [run["mb_per_s"] for run in results["sizes"] if run["mb"] >= FLAT_FROM_MB] or [0.0]
    peaks = [run["peak_rss_mb"] for run in (*results["extract"], *results["sizes"], results["single_file"])]
    measured = {
        "jobs 2 / bare scan": (results["extract"][1]["ratio_to_bare"], ">= 0.07", lambda v: v >= 0.07),
        "rules x10 cost": (results["rules"]["cost_ratio"], "<= 1.5", lambda v: v <= 1.5),
        "cold start / import regex": (results["cold_start"]["ratio"], "<= 3", lambda v: v <= 3),
        "slowest / fastest size": (min(speeds) / (max(speeds) or 1), ">= 0.8 (flat from 10 MB)", lambda v: v >= 0.8),
        "peak memory MB": (max(peaks), "< 400", lambda v: v < 400),
    }
    return {name: {"value": value, "target": target, "met": check(value)} for name, (value, target, check) in measured.items()}


if __name__ == "__main__":
    main()
