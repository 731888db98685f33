"""Humdrum **kern scores for the ``kern`` task kind (DESIGN §4.4).

``tokens`` splits kern into records and spine tokens and checks its structure (fast, no
music parser); ``omr_ned`` wraps musicdiff in worker processes; ``locate`` maps musicdiff's
edits back to kern lines and fields; ``engrave`` renders kern with verovio in a child
process and colours the notes of edits.
"""
