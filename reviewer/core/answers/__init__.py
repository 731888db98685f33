"""The ``answer`` kind's parts (short free-form answers): how items and predictions are stored
(:mod:`.encoding`), how a final answer is found in a model's raw output (:mod:`.extract`), how
it is compared with the gold answers (:mod:`.matchers`), and which items the models agree
against (:mod:`.suspicion`)."""
