"""Make the evaluation logs in this folder by running the real tools.

Run with a Python that has ``lm-eval`` and ``inspect_ai`` installed, in an environment of
its own (lm-eval pulls in torch; a CPU build is enough), from anywhere, offline::

    python -m venv toolenv && toolenv/bin/pip install torch lm-eval inspect_ai
    HF_DATASETS_OFFLINE=1 toolenv/bin/python tests/data/harness/make_logs.py

It writes, beside itself:

* ``lm-eval/<model>/samples_<task>_<date>.jsonl`` and ``results_<date>.json``:
  lm-evaluation-harness ``--log_samples`` output of two deterministic models (``modelA``,
  ``modelB``, registered through lm-eval's own model registry) on two local tasks:
  ``reviewer_arith`` (``generate_until``, with the two answer filters gsm8k's task uses)
  and ``reviewer_mc`` (``multiple_choice``, per-option log-likelihoods);
* ``inspect/*.eval`` and ``inspect/*.json``: Inspect AI logs of the same two models
  played by Inspect's ``mockllm`` provider with custom outputs, on an answer task
  (``match(numeric=True)``) and a multiple-choice task (``multiple_choice()`` with the
  ``choice()`` scorer); modelA's logs in the ``.eval`` format, modelB's in ``.json``;
* ``VERSIONS``: the versions of the tools that wrote them.

Nothing is edited afterwards except the machine description lm-eval writes into its
``results_*.json`` (replaced by a note).

Every question is written for these tests (no benchmark's data). The models answer from
the tables below, so the logs are the same on every run except for their dates and ids.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# -- the questions ---------------------------------------------------------------------------
ARITH: list[dict[str, str]] = [
    {"question": "A baker fills 4 trays with 6 rolls each. How many rolls does she bake?",
     "answer": "Each tray holds 6 rolls, so 4 trays hold 4 * 6 = 24 rolls.\n#### 24"},
    {"question": "Tom has 15 marbles and gives 7 to his sister. How many marbles does he "
                 "keep?",
     "answer": "He keeps 15 - 7 = 8 marbles.\n#### 8"},
    {"question": "A ticket costs $12. How many dollars do 5 tickets cost?",
     "answer": "5 tickets cost 5 * 12 = 60 dollars.\n#### 60"},
    {"question": "A train travels 180 km in 3 hours. What is its average speed in km per "
                 "hour?",
     "answer": "Its speed is 180 / 3 = 60 km per hour.\n#### 60"},
    {"question": "A library has 1,250 books and buys 250 more. How many books does it have "
                 "now?",
     "answer": "It has 1250 + 250 = 1500 books.\n#### 1500"},
    {"question": "Three friends share 21 cherries equally. How many cherries does each "
                 "friend get?",
     "answer": "Each gets 21 / 3 = 7 cherries.\n#### 7"},
]
# Raw outputs per model, in ARITH's order: right and wrong answers, a thousands separator,
# an answer the strict "#### N" filter cannot find, a factor-of-ten slip.
ARITH_OUTPUTS = {
    "modelA": [
        "4 trays with 6 rolls each is 4 * 6 = 24.\n#### 24",
        "15 - 7 = 8, so the answer is 8.",
        "Five tickets at $12 each cost $60.\n#### 60",
        "180 / 3 = 60.\n#### 60",
        "1,250 + 250 = 1,500 books.\n#### 1,500",
        "21 / 3 = 7.\n#### 7",
    ],
    "modelB": [
        "4 + 6 = 10.\n#### 10",
        "15 - 7 = 8.\n#### 8",
        "5 * 12 = 600.\n#### 600",
        "180 * 3 = 540.\n#### 540",
        "1250 + 250 = 1500.\n#### 1500",
        "I am not able to answer that.",
    ],
}

MC: list[dict[str, Any]] = [
    {"question": "Which planet is closest to the Sun?",
     "choices": ["Venus", "Mercury", "Earth", "Mars"], "answer": 1},
    {"question": "How many sides does a hexagon have?",
     "choices": ["Five", "Six", "Seven", "Eight"], "answer": 1},
    {"question": "Which gas do plants take in for photosynthesis?",
     "choices": ["Oxygen", "Nitrogen", "Carbon dioxide", "Helium"], "answer": 2},
    {"question": "What is the boiling point of water at sea level in degrees Celsius?",
     "choices": ["90", "100", "110", "120"], "answer": 1},
    {"question": "Which of these is a mammal?",
     "choices": ["Shark", "Trout", "Dolphin", "Octopus"], "answer": 2},
]
# The option each model prefers, in MC's order (its log-likelihoods follow from it).
MC_CHOICES = {"modelA": [1, 1, 2, 0, 2], "modelB": [0, 1, 2, 0, 3]}

# (input, target)
INSPECT_ARITH = [
    ("A box holds 12 eggs. How many eggs are in 3 boxes?", "36"),
    ("A rope 20 m long is cut into 4 equal pieces. How long is each piece in m?", "5"),
    ("A shop sells 1,200 pens on Monday and 800 on Tuesday. How many pens in all?", "2000"),
    ("What is 9 times 8?", "72"),
    ("A car uses 6 litres of fuel per 100 km. How many litres for 250 km?", "15"),
]
INSPECT_ARITH_OUTPUTS = {
    "modelA": ["3 boxes of 12 eggs hold 36 eggs.", "20 / 4 = 5 m.",
               "1,200 + 800 = 2,000 pens.", "9 * 8 = 72", "6 * 2.5 = 15 litres"],
    "modelB": ["3 * 12 = 36", "20 / 4 = 5", "1200 + 800 = 200", "The answer is 81.",
               "6 * 25 = 150 litres"],
}
# (input, choices, target)
INSPECT_MC = [
    ("Which colour do you get by mixing blue and yellow?", ["Green", "Purple", "Orange"], "A"),
    ("How many legs does a spider have?", ["Six", "Eight", "Ten", "Twelve"], "B"),
    ("Which metal is liquid at room temperature?", ["Iron", "Copper", "Mercury", "Tin"], "C"),
    ("What is the largest ocean on Earth?", ["Atlantic", "Indian", "Arctic", "Pacific"], "D"),
]
INSPECT_MC_ANSWERS = {"modelA": ["A", "B", "C", "A"], "modelB": ["A", "C", "C", "D"]}


# -- lm-evaluation-harness -------------------------------------------------------------------
def _task_files(folder: Path) -> None:
    """The two task YAMLs and their local JSON Lines datasets."""
    (folder / "arith.jsonl").write_text(
        "".join(json.dumps(d) + "\n" for d in ARITH), encoding="utf-8")
    (folder / "mc.jsonl").write_text(
        "".join(json.dumps(d) + "\n" for d in MC), encoding="utf-8")
    (folder / "reviewer_arith.yaml").write_text(f"""\
task: reviewer_arith
dataset_path: json
dataset_kwargs:
  data_files:
    test: {folder / "arith.jsonl"}
test_split: test
output_type: generate_until
doc_to_text: "Question: {{{{question}}}}\\nAnswer:"
doc_to_target: "{{{{answer}}}}"
generation_kwargs:
  until: ["Question:"]
  do_sample: false
metric_list:
  - metric: exact_match
    aggregation: mean
    higher_is_better: true
    ignore_case: true
    ignore_punctuation: false
    regexes_to_ignore: [",", "\\\\$", "(?s).*#### ", "\\\\.$"]
filter_list:
  - name: strict-match
    filter:
      - function: regex
        regex_pattern: "#### (\\\\-?[0-9\\\\.\\\\,]+)"
      - function: take_first
  - name: flexible-extract
    filter:
      - function: regex
        group_select: -1
        regex_pattern: "(-?[$0-9.,]{{2,}})|(-?[0-9]+)"
      - function: take_first
""", encoding="utf-8")
    (folder / "reviewer_mc.yaml").write_text(f"""\
task: reviewer_mc
dataset_path: json
dataset_kwargs:
  data_files:
    test: {folder / "mc.jsonl"}
test_split: test
output_type: multiple_choice
doc_to_text: "Question: {{{{question}}}}\\nAnswer:"
doc_to_choice: "{{{{choices}}}}"
doc_to_target: answer
metric_list:
  - metric: acc
    aggregation: mean
    higher_is_better: true
  - metric: acc_norm
    aggregation: mean
    higher_is_better: true
""", encoding="utf-8")


def _register_lm_eval_model() -> None:
    """A deterministic model answering from the tables above, in lm-eval's registry."""
    from lm_eval.api.model import LM
    from lm_eval.api.registry import register_model

    arith = {d["question"]: k for k, d in enumerate(ARITH)}
    mc = {d["question"]: k for k, d in enumerate(MC)}

    def find(prompt: str, table: dict[str, int]) -> int:
        found = [k for question, k in table.items() if question in prompt]
        if len(found) != 1:
            raise RuntimeError(f"no single question in the prompt {prompt!r}")
        return found[0]

    @register_model("reviewer-scripted")
    class ScriptedLM(LM):
        """Answers as the named model of ARITH_OUTPUTS / MC_CHOICES does."""

        def __init__(self, name: str = "modelA", **_: object) -> None:
            super().__init__()
            self.name = name

        def generate_until(self, requests: list[Any], disable_tqdm: bool = False) -> list[str]:
            return [ARITH_OUTPUTS[self.name][find(r.arguments[0], arith)] for r in requests]

        def loglikelihood(self, requests: list[Any],
                          disable_tqdm: bool = False) -> list[tuple[float, bool]]:
            out = []
            for request in requests:
                context, continuation = request.arguments
                k = find(context, mc)
                option = MC[k]["choices"].index(continuation.strip())
                preferred = MC_CHOICES[self.name][k]
                # The preferred option is the most likely; the others fall off with distance.
                loglik = -0.25 if option == preferred else -1.0 - 0.5 * abs(option - preferred)
                out.append((loglik, option == preferred))
            return out

        def loglikelihood_rolling(self, requests: list[Any],
                                  disable_tqdm: bool = False) -> list[float]:
            raise NotImplementedError("the tasks here need no rolling log-likelihood")


def run_lm_eval(out: Path) -> None:
    """Both tasks with both models, through lm-eval's own command line."""
    from lm_eval.__main__ import cli_evaluate

    _register_lm_eval_model()
    with tempfile.TemporaryDirectory() as tmp:
        tasks = Path(tmp)
        _task_files(tasks)
        for name in ARITH_OUTPUTS:
            sys.argv = ["lm-eval", "run", "--model", "reviewer-scripted",
                        "--model_args", f"name={name},pretrained={name}",
                        "--tasks", "reviewer_arith,reviewer_mc", "--include_path", str(tasks),
                        "--output_path", str(out), "--log_samples", "--seed", "0"]
            cli_evaluate()
    # lm-eval describes the machine it ran on (CPU flags, kernel); that has no place in a
    # test fixture, so the description is replaced by a note.
    for results in out.glob("*/results_*.json"):
        data = json.loads(results.read_text(encoding="utf-8"))
        data["pretty_env_info"] = "(removed by make_logs.py)"
        results.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")


# -- Inspect AI ------------------------------------------------------------------------------
def run_inspect(out: Path) -> None:
    """The answer and the multiple-choice task with both mock models."""
    from inspect_ai import Task, eval
    from inspect_ai.dataset import Sample
    from inspect_ai.model import ModelOutput, ModelUsage, get_model
    from inspect_ai.scorer import choice, match
    from inspect_ai.solver import generate, multiple_choice

    def scripted(name: str) -> Callable[..., ModelOutput]:
        def answer(messages: list[Any], *_: Any) -> ModelOutput:
            prompt = messages[-1].text
            for k, sample in enumerate(INSPECT_ARITH):
                if sample[0] in prompt:
                    text = INSPECT_ARITH_OUTPUTS[name][k]
                    break
            else:
                k = next(k for k, s in enumerate(INSPECT_MC) if s[0] in prompt)
                text = f"ANSWER: {INSPECT_MC_ANSWERS[name][k]}"
            output = ModelOutput.from_content(model=name, content=text)
            # Usage given here: mockllm would count tokens with tiktoken, which downloads
            # its encoding on first use.
            output.usage = ModelUsage(input_tokens=len(prompt.split()),
                                      output_tokens=len(text.split()),
                                      total_tokens=len(prompt.split()) + len(text.split()))
            return output

        return answer

    arith = Task(name="reviewer_inspect_arith",
                 dataset=[Sample(id=f"a{k + 1}", input=q, target=t)
                          for k, (q, t) in enumerate(INSPECT_ARITH)],
                 solver=generate(), scorer=match(numeric=True))
    mc = Task(name="reviewer_inspect_mc",
              dataset=[Sample(id=f"m{k + 1}", input=q, choices=c, target=t)
                       for k, (q, c, t) in enumerate(INSPECT_MC)],
              solver=multiple_choice(), scorer=choice())
    model = get_model("mockllm/modelA", custom_outputs=scripted("modelA"))
    eval([arith, mc], model=model, log_dir=str(out), log_format="eval", display="none")
    model = get_model("mockllm/modelB", custom_outputs=scripted("modelB"))
    eval([arith, mc], model=model, log_dir=str(out), log_format="json", display="none")


def main() -> None:
    """Write the logs and VERSIONS afresh."""
    for name in ("lm-eval", "inspect"):
        shutil.rmtree(HERE / name, ignore_errors=True)
    run_lm_eval(HERE / "lm-eval")
    run_inspect(HERE / "inspect")
    versions = {tool: version(tool) for tool in ("lm_eval", "inspect_ai", "datasets")}
    (HERE / "VERSIONS").write_text(
        "".join(f"{tool} {v}\n" for tool, v in versions.items())
        + f"python {sys.version.split()[0]}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
