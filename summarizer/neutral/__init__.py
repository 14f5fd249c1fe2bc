"""Neutral wording: loaded words only one outlet uses removed, people's first mentions given the
full names the sources use, and the loaded-word lexicon."""
