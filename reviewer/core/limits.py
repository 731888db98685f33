"""Every size and time limit reviewer puts on what a benchmark may make it do, in one place.

A hostile or broken benchmark must end in a clear message, never in a machine that runs out
of memory or a window that hangs. The documentation states these figures (README "Your data
is safe", docs/kinds/README.md, docs/kinds/kern.md); change them here and there together.
"""

from __future__ import annotations

MIB = 1 << 20

# -- tables ----------------------------------------------------------------------------------
# Longest text cell of a CSV, TSV, JSONL or Parquet table, in characters (a whole book is a
# few million; a line or a page is thousands).
MAX_CELL_CHARS = 10_000_000
# A Parquet file may decode to at most this many bytes, or PARQUET_MAX_RATIO times its own
# size if that is more: text compresses a few times, images not at all, a "bomb" (one long
# string repeated through a dictionary) by a million times.
PARQUET_MIN_DECODED = 256 * MIB
PARQUET_MAX_RATIO = 20
# Largest file embedded in a Parquet cell (a page image).
MAX_EMBEDDED_BYTES = 256 * MIB

# -- alignment -------------------------------------------------------------------------------
# Pairs are aligned exactly while the product of their lengths (in characters, words or
# tokens) is at most this: two lines of 100,000 characters each, under a second. Longer pairs
# are aligned exactly when they differ in few places, otherwise word by word first (see
# reviewer.core.align), so no pair takes more than seconds.
ALIGN_EXACT_CELLS = 100_000 * 100_000

# -- media shown in the window -----------------------------------------------------------------
MAX_IMAGE_BYTES = 512 * MIB  # image files (Pillow's pixel limit applies besides)
MAX_AUDIO_BYTES = 512 * MIB  # WAV files whose waveform is drawn
MEDIA_READ_SECONDS = 30.0  # reading one media file longer than this gives up
MAX_AUDIO_RATE = 1_000_000  # samples per second; more is no audio file
MAX_AUDIO_CHANNELS = 256

# -- images in the HTML report ---------------------------------------------------------------------
REPORT_THUMBNAIL_BOX = (800, 200)  # px: a text line stays legible, a page becomes a preview
REPORT_IMAGE_BUDGET = 16 * MIB  # bytes of thumbnails one report embeds at most

# -- OMR-NED (musicdiff) -------------------------------------------------------------------------
OMR_NED_SECONDS = 120.0  # per pair; a pair over it is "not computed: took longer than 120 s"
OMR_NED_MEMORY = 4096 * MIB  # address space of each musicdiff worker process
