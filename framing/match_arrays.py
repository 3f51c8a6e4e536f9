"""Lexicon matching over token arrays: ``LexiconSet.match_sentences``' matches, without a loop per token.

Each distinct word gets a number (its *word id*) the first time a batch meets it, and is
looked up in the lexicons once (``LexiconSet._resolve``); a table of word hashes, kept across
batches, gives every later token its id (``kernels.hash_slots``). Words no entry can start or
continue share one id, told from their hashes without making their string. Matching is one
compiled pass over a batch's word ids (``kernels.lexicon_matches``): a one-word entry per
lexicon from a table, and the lexicon tries walked from each token that can open a phrase (the
trie edges are sorted arrays of (node, word id) keys). The rules are ``match_sentences``'
(longest entry first, the earlier row on a tie, no overlap within a lexicon);
``tests/test_match_arrays.py`` compares the two.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .lexicon import NUMBER_WORDS, Entry, LexiconSet, is_number
from .token_arrays import OPENING_LETTERS, WordKeys, token_arrays, word_hashes, word_hashes_of_spans
from .tokens import normalize

_NO_ENTRY = -1
_PAIR_SHIFT = np.int64(32)  # a (word id, next word id) pair as one integer


@dataclass(frozen=True)
class TokenMatches:
    """Matches as parallel arrays, ordered by first token then lexicon (``ignore`` entries included)."""

    first: np.ndarray  # token index of the match's first word
    last: np.ndarray  # token index of its last word (inclusive)
    entry: np.ndarray  # index into ArrayMatcher.entries


class ArrayMatcher:
    """A LexiconSet's matching over word ids; build one with ``array_matcher(lexicons)``."""

    def __init__(self, lexicons: LexiconSet) -> None:
        self.lexicons = lexicons
        self.entries: list[Entry] = [entry for lexicon in lexicons.lexicons for entry in lexicon.entries]
        self._entry_index = {id(entry): index for index, entry in enumerate(self.entries)}
        self._words: list[str] = []  # word id -> normalized word
        self._id_of_word: dict[str, int] = {}
        # A hash slot per distinct first hash met: its word id and second hash (checked on every token),
        # found through an open-addressing table of first hash -> slot (-1: empty).
        self._table_hash = np.zeros(1024, np.uint64)
        self._table_slot = np.full(1024, -1, np.int64)
        self._slot_word = np.zeros(0, np.int64)
        self._slot_second = np.zeros(0, np.uint64)
        self._single = np.zeros((0, len(lexicons.lexicons)), np.int64)  # word id, lexicon -> one-word entry
        self._always_walks = np.zeros(0, bool)  # word id -> a stem or number can follow it in a phrase
        self._opens = np.zeros(0, bool)  # word id -> opens a phrase whose next word is exact
        self._pairs: set[int] = set()  # (word id, next word id) that can continue a phrase
        self._pair_array = np.zeros(0, np.int64)
        self._is_number = np.zeros(0, bool)  # word id -> a number token (the # of a term)
        self._starts = np.zeros((0, 1), np.int64)  # word id -> trie nodes with children its word reaches first (-1: none)
        self._build_nodes()
        # Words no entry can start or continue share two ids (tokens never hold a space, so these never clash).
        self._plain_id = self.word_id(" other word")
        self._number_id = self.word_id(" other number")
        self._is_number[self._number_id] = True
        # Which words may need an id of their own, told from their hashes without making their string:
        # an entry's first word, a word inside a phrase, a word beginning with a stem (its first letters
        # hashed, per stem length), or a word opening like a number word.
        first_words, first_stems = lexicons.first_words()
        numbers_matter = self._numbers_follow or lexicons.starts_with_numbers()
        self._numbers_matter = numbers_matter
        self._known_hashes = np.unique(word_hashes(sorted(first_words | set(self._words)))[0])
        number_openings = {word[:OPENING_LETTERS] for word in NUMBER_WORDS} if numbers_matter else set()
        self._opening_hashes = np.unique(word_hashes(sorted(number_openings))[0])
        stems = {*first_stems, *self._inner_stems}
        self._stem_hashes = {length: np.unique(word_hashes(sorted(stem for stem in stems if len(stem) == length))[0])
                             for length in sorted({len(stem) for stem in stems})}
        # Meet the entries' first words now, as a text of their own: building the matcher is set-up (done
        # once before local workers fork, so they share it), and every corpus meets most of these words.
        first_text = "\n".join(sorted(first_words))
        self.word_ids(first_text, *token_arrays(first_text))

    def _build_nodes(self) -> None:
        """Number every trie node below the roots; its entry, lexicon and exact, stem and number edges as arrays."""
        self._node_of: dict[int, int] = {}
        lexicon_of, entry_of, order_of, number_child = [], [], [], []
        exact: list[tuple[int, str, int]] = []  # (parent node, word, child node)
        stems: list[tuple[int, str, int]] = []  # (parent node, stem, child node): stems past a phrase's first word

        def number(node, lexicon: int) -> int:
            found = self._node_of.get(id(node))
            if found is None:
                found = self._node_of[id(node)] = len(lexicon_of)
                lexicon_of.append(lexicon)
                entry_of.append(_NO_ENTRY if node.entry is None else self._entry_index[id(node.entry)])
                order_of.append(0 if node.entry is None else node.entry.order)
                number_child.append(_NO_ENTRY)
                for word, child in node.exact.items():
                    exact.append((found, word, number(child, lexicon)))
                for prefix, child in node.stems.items():
                    stems.append((found, prefix, number(child, lexicon)))
                if node.number is not None:
                    number_child[found] = number(node.number, lexicon)
            return found

        for lexicon, root in enumerate(self.lexicons._roots):
            for child in [*root.exact.values(), *root.stems.values(), *([root.number] if root.number else [])]:
                number(child, lexicon)
        self.node_lexicon = np.array(lexicon_of, np.int64)
        self.node_entry = np.array(entry_of, np.int64)
        self.node_order = np.array(order_of, np.int64)
        self.node_number_child = np.array(number_child, np.int64)
        self._inner_stem_edges = stems
        self._inner_stems = tuple(prefix for _, prefix, _ in self._inner_stem_edges)
        self._stem_pairs: list[tuple[int, int]] = []  # (node << 32 | word id, child): the word begins with the stem
        self._stem_arrays = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        self._numbers_follow = bool((self.node_number_child != _NO_ENTRY).any())
        edges = sorted(((parent << 32) | self.word_id(word), child) for parent, word, child in exact)
        self._edge_keys = np.array([key for key, _ in edges], np.int64)
        self._edge_child = np.array([child for _, child in edges], np.int64)

    # Word ids

    def _grow(self, size: int) -> None:
        capacity = len(self._opens)
        if size <= capacity:
            return
        capacity = max(size, 2 * capacity, 1024)
        single = np.full((capacity, self._single.shape[1]), _NO_ENTRY, np.int64)
        single[:len(self._single)] = self._single
        self._single = single
        self._always_walks = np.concatenate((self._always_walks, np.zeros(capacity - len(self._always_walks), bool)))
        self._opens = np.concatenate((self._opens, np.zeros(capacity - len(self._opens), bool)))
        self._is_number = np.concatenate((self._is_number, np.zeros(capacity - len(self._is_number), bool)))
        starts = np.full((capacity, self._starts.shape[1]), _NO_ENTRY, np.int64)
        starts[:len(self._starts)] = self._starts
        self._starts = starts

    def _add_start(self, word_id: int, node: int) -> None:
        """Record a trie node a word can start a phrase from (a second node widens the table)."""
        free = np.flatnonzero(self._starts[word_id] == _NO_ENTRY)
        if not len(free):
            self._starts = np.hstack((self._starts, np.full((len(self._starts), 1), _NO_ENTRY, np.int64)))
            free = [self._starts.shape[1] - 1]
        self._starts[word_id, free[0]] = node

    def word_id(self, word: str) -> int:
        """The id of a normalized word, looked up in the lexicons the first time it is seen."""
        found = self._id_of_word.get(word)
        if found is not None:
            return found
        new = len(self._words)
        self._words.append(word)
        self._id_of_word[word] = new
        self._grow(new + 1)
        if self._numbers_follow:
            self._is_number[new] = is_number(word)
        if word.startswith(self._inner_stems):
            self._stem_pairs += [((node << int(_PAIR_SHIFT)) | new, child)
                                 for node, prefix, child in self._inner_stem_edges if word.startswith(prefix)]
        for index, first_nodes, ending, following in self.lexicons.candidates(word):
            walks_from = [node for node in first_nodes if node.exact or node.stems or node.number is not None]
            for node in walks_from:
                self._add_start(new, self._node_of[id(node)])
            if ending is not None:
                self._single[new, index] = self._entry_index[id(ending)]
            if following is None:
                self._always_walks[new] = True
            elif following:
                self._opens[new] = True
                self._pairs.update((new << int(_PAIR_SHIFT)) | self.word_id(after) for after in following)
                self._pair_array = np.zeros(0, np.int64)  # rebuilt on next use
        return new

    def _id_for(self, word: str) -> int:
        """A word's own id if a lexicon entry can start or continue with it, else a shared one."""
        found = self._id_of_word.get(word)
        if found is not None:
            return found
        if (self.lexicons.may_start(word) and self.lexicons.candidates(word)) or word.startswith(self._inner_stems):
            return self.word_id(word)  # (every exact word inside a phrase got its id with the tries)
        return self._number_id if self._numbers_follow and is_number(word) else self._plain_id

    def _may_need_own_id(self, text: str, starts: np.ndarray, ends: np.ndarray, keys: WordKeys,
                         tokens: np.ndarray) -> np.ndarray:
        """For these tokens (a batch's first meeting of each new hash): False where no entry can start or
        continue with the word, told from hashes (equal words hash alike, so no such word is missed)."""
        maybe = (np.isin(keys.first_hash[tokens], self._known_hashes)
                 | np.isin(keys.opening_hash[tokens], self._opening_hashes)
                 | (keys.starts_with_digit[tokens] & self._numbers_matter))
        for length, stem_hashes in self._stem_hashes.items():
            unsure = np.flatnonzero(~maybe & (ends - starts >= length))
            prefixes = word_hashes_of_spans(keys.codes, starts[unsure], starts[unsure] + length)
            maybe[unsure[np.isin(prefixes, stem_hashes)]] = True
        return maybe

    def word_ids(self, text: str, starts: np.ndarray, ends: np.ndarray, keys: WordKeys) -> np.ndarray:
        """The word id of every token (``keys`` from ``token_arrays.word_keys``).

        A token's first hash finds its slot in a table kept across batches (``kernels.hash_slots``);
        a new slot gets the word id of its first token's word, and the slot's second hash must
        match every later token's, or that token is looked up by its string."""
        from .kernels import hash_slots  # numba: imported on first use

        slots, tokens, self._table_hash, self._table_slot = hash_slots(
            keys.first_hash, keys.by_string, self._table_hash, self._table_slot, len(self._slot_word))
        if len(tokens):
            made = np.full(len(tokens), self._plain_id, np.int64)
            maybe = np.flatnonzero(self._may_need_own_id(text, starts[tokens], ends[tokens], keys, tokens))
            made[maybe] = [self._id_for(normalize(text[start:end]))
                           for start, end in zip(starts[tokens[maybe]].tolist(), ends[tokens[maybe]].tolist())]
            self._slot_word = np.concatenate((self._slot_word, made))
            self._slot_second = np.concatenate((self._slot_second, keys.second_hash[tokens]))
        ids = np.full(len(slots), _NO_ENTRY, np.int64)
        hashed = np.flatnonzero(slots >= 0)
        ids[hashed] = self._slot_word[slots[hashed]]
        mismatched = hashed[self._slot_second[slots[hashed]] != keys.second_hash[hashed]]
        for token in np.concatenate((np.flatnonzero(keys.by_string), mismatched)).tolist():
            ids[token] = self._id_for(normalize(text[starts[token]:ends[token]]))
        return ids

    # Matching

    def match(self, word_ids: np.ndarray, sentence_end: np.ndarray) -> TokenMatches:
        """Every match, as ``LexiconSet.match_sentences`` finds them; ``sentence_end[i]`` is the index
        after the last token of token i's sentence (matches never cross it). The loop is compiled:
        ``kernels.lexicon_matches``."""
        from .kernels import lexicon_matches  # numba: imported on first use

        if len(self._pair_array) != len(self._pairs):
            self._pair_array = np.array(sorted(self._pairs), np.int64)
        if len(self._stem_arrays[0]) != len(self._stem_pairs):
            pairs = np.array(sorted(self._stem_pairs), np.int64).reshape(-1, 2)
            self._stem_arrays = (pairs[:, 0].copy(), pairs[:, 1].copy())
        first, last, entry = lexicon_matches(
            np.asarray(word_ids, np.int64), np.asarray(sentence_end, np.int64), self._single, self._opens,
            self._always_walks, self._pair_array, self._starts, self._edge_keys, self._edge_child,
            *self._stem_arrays, self.node_number_child, self._is_number, self.node_entry, self.node_lexicon,
            self.node_order)
        return TokenMatches(first, last, entry)


_MATCHERS: "weakref.WeakKeyDictionary[LexiconSet, ArrayMatcher]" = weakref.WeakKeyDictionary()


def array_matcher(lexicons: LexiconSet) -> ArrayMatcher:
    """The ArrayMatcher of a LexiconSet, built on first use and kept while the set lives."""
    matcher = _MATCHERS.get(lexicons)
    if matcher is None:
        matcher = _MATCHERS[lexicons] = ArrayMatcher(lexicons)
    return matcher


def sentence_end_of_tokens(token_count: int, sentence_ends: Sequence[int] | np.ndarray) -> np.ndarray:
    """For each token, the index after its sentence's last token (``sentence_ends`` sorted, the last = token_count)."""
    ends = np.asarray(sentence_ends, np.int64)
    return np.repeat(ends, np.diff(ends, prepend=0)) if token_count else np.zeros(0, np.int64)
