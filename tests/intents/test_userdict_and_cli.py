import json
import subprocess
import sys
from pathlib import Path

from intents.classifier import get_engine
from intents.userdict import ensure_user_dic, user_dic_path

ROOT = Path(__file__).resolve().parents[2]


def test_user_dictionary_terms_are_one_word(classify):
    engine = get_engine()
    for term in ["住居確保給付金", "地域包括支援センター", "ヤングケアラー", "ダブルケア", "8050問題",
                 "自立相談支援機関", "もやいネット", "須々万"]:
        toks = engine.tokens(term)
        assert len(toks) == 1, (term, toks.keys)
    # abbreviations normalise to the official name
    assert list(engine.tokens("地域包括").keys) == ["地域包括支援センター"]


def test_user_dictionary_is_cached_and_keyed_by_csv(tmp_path, monkeypatch, classify):
    built = ensure_user_dic()
    assert built.exists() and built.suffix == ".dic"
    assert ensure_user_dic() == built  # cached: same file, no rebuild
    csv = tmp_path / "user_dict.csv"
    csv.write_text("# comment\nつなぐ相談,5146,5146,3000,つなぐ相談,名詞,普通名詞,一般,*,*,*,"
                   "ツナグソウダン,つなぐ相談,*,C,*,*,*\n", encoding="utf-8")
    monkeypatch.setenv("TSUNAGU_CACHE_DIR", str(tmp_path / "cache"))
    assert user_dic_path(csv) != user_dic_path(ROOT / "dictionaries" / "user_dict.csv")


def _run(args, stdin):
    code = "from intents.cli import classify; classify()"
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, timeout=120, check=False)


def test_cli_bad_lines_are_reported_and_the_run_goes_on():
    stdin = "\n".join([
        json.dumps({"id": 1, "text": "家賃が払えません"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": "もう死にたい"}, ensure_ascii=False),
    ]) + "\n"
    r = _run([], stdin)
    assert r.returncode == 1
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x.get("id") for x in lines] == [1, None, 3, 4]
    assert "住まい" in lines[0]["categories"]
    assert "error" in lines[1] and "error" in lines[2]
    assert lines[3]["crisis"] is True
    assert "死にたい" in r.stdout  # ensure_ascii=False


def test_cli_evaluate_prints_metrics(tmp_path):
    f = tmp_path / "gold.jsonl"
    rows = [
        {"id": "a", "text": "家賃が払えません", "categories": ["住まい"], "crisis": False, "speaker": "本人"},
        {"id": "b", "text": "もう死にたい", "categories": ["こころ"], "crisis": True, "speaker": "本人"},
    ]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    r = _run(["--evaluate", str(f)], "")
    assert r.returncode == 0, r.stderr
    for needle in ["macro-F1", "crisis recall", "speaker accuracy", "baseline", "住まい"]:
        assert needle in r.stdout
