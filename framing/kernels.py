"""The scoring path's compiled loops: the steps numpy cannot do without a Python loop per item.

Each function here is a plain loop over numpy arrays, compiled by numba and cached on disk (in
``__pycache__``, or the user's cache folder) after a process first compiles it: about 10 s, once
per installation (``_compiled`` copes with a machine where no folder is writable). Each is
called by the array module whose rule it implements, and the tests compare that module with the
rule's readable definition on fixed and random texts:

* ``token_spans``, ``word_hashes``: ``token_arrays`` (``tokens.tokenize``' words and their hashes);
* ``classes_and_marks``, ``plain_ascii_words``: ``sentence_arrays`` (``tokens.split_sentences``);
* ``hash_slots``, ``lexicon_matches``: ``match_arrays`` (word ids; ``LexiconSet.match_sentences``);
* ``quote_spans``: ``evidence`` (``QUOTATION``); ``utf8_slices``: ``token_arrays.text_slices`` (evidence text);
* ``tone_rule_factors``: ``tone_arrays`` (``tone_rules.tone_multiplier``);
* ``group_sums``: ``score`` (the sums behind every score; pandas' grouped sum, tested against it).

Import this module lazily: importing numba costs a quarter of a second, which commands that do
not score should not pay. ``compile_all`` (called by ``evidence.load_scoring_resources``) loads
them all before workers fork.
"""

from __future__ import annotations

import warnings

import numpy as np
from numba import njit

NO_CACHE_WARNING = ("framing: numba found no writable folder to cache its compiled loops in, so every run compiles "
                    "them again (about 10 s); set NUMBA_CACHE_DIR to a writable folder to keep them")


def _compiled(function):
    """``function`` compiled by numba, cached on disk where numba finds a writable folder (next to this
    file, or the user's cache folder); on a machine with neither, compiled in memory on every run."""
    global _cache_missing
    try:
        return njit(cache=True, nogil=True)(function)
    except RuntimeError:  # numba: "cannot cache function ...: no locator available"
        if not _cache_missing:
            warnings.warn(NO_CACHE_WARNING, RuntimeWarning, stacklevel=2)
        _cache_missing = True
        return njit(nogil=True)(function)


_cache_missing = False


@_compiled
def word_hashes(codes, lower, starts, ends, first_base, second_base, opening_letters):  # pragma: no cover (compiled)
    """Per token ``codes[start:end]``: two polynomial hashes (mod 2**64) of its lowered codes, and the
    first hash of its first ``opening_letters`` codes. Position i weighs base**i from the token's start."""
    count = len(starts)
    first = np.empty(count, np.uint64)
    second = np.empty(count, np.uint64)
    opening = np.empty(count, np.uint64)
    for token in range(count):
        first_sum, second_sum = np.uint64(0), np.uint64(0)
        first_power, second_power = np.uint64(1), np.uint64(1)
        start, end = starts[token], ends[token]
        opening_end = min(start + opening_letters, end)
        opening[token] = np.uint64(0)
        for position in range(start, end):
            code = np.uint64(lower[codes[position]])
            first_sum += code * first_power
            second_sum += code * second_power
            first_power *= first_base
            second_power *= second_base
            if position + 1 == opening_end:
                opening[token] = first_sum
        first[token] = first_sum
        second[token] = second_sum
    return first, second, opening


@_compiled
def _find(keys, key):  # pragma: no cover (compiled)
    """Index of the first ``key`` in sorted ``keys``, or -1 (a plain binary search: numba's
    ``np.searchsorted`` costs ten times more per call on a scalar)."""
    low, high = 0, len(keys)
    while low < high:
        middle = (low + high) >> 1
        if keys[middle] < key:
            low = middle + 1
        else:
            high = middle
    return low if low < len(keys) and keys[low] == key else -1


@_compiled
def lexicon_matches(word_ids, sentence_end, single, opens, always_walks, pair_keys, start_nodes,
                    edge_keys, edge_child, stem_keys, stem_child, number_child, is_number,
                    node_entry, node_lexicon, node_order):  # pragma: no cover (compiled)
    """Every lexicon match of a batch of word ids, as ``LexiconSet.match_sentences`` finds them.

    Per token, in order: the tries are walked from each node its word starts (if it can open a
    phrase here), keeping per lexicon the longest phrase ending (the lowest entry order on a tie).
    Then per lexicon: a phrase is kept unless an earlier kept phrase covers its first token, and a
    one-word entry (``single``) counts unless a kept phrase covers it. Trie edges are sorted keys
    ``node << 32 | word id`` (exact words; ``stem_keys``: words that begin with the edge's stem).
    Returns (first, last, entry) arrays in token, then lexicon, order.
    """
    token_count, lexicon_count = len(word_ids), single.shape[1]
    capacity = token_count * lexicon_count  # at most one match per token and lexicon
    first = np.empty(capacity, np.int64)
    last = np.empty(capacity, np.int64)
    entry = np.empty(capacity, np.int64)
    found = 0
    next_free = np.zeros(lexicon_count, np.int64)  # per lexicon, the token after its last kept phrase
    best_last = np.full(lexicon_count, -1, np.int64)
    best_order = np.zeros(lexicon_count, np.int64)
    best_entry = np.full(lexicon_count, -1, np.int64)
    # A depth-first walk from one token meets each trie node at most once (a node's depth fixes its position).
    stack_node = np.empty(len(node_entry) + start_nodes.shape[1], np.int64)
    stack_position = np.empty(len(stack_node), np.int64)
    has_single = np.zeros(len(single), np.bool_)  # small enough to stay in cache, unlike ``single``
    for word in range(len(single)):
        for lexicon in range(lexicon_count):
            has_single[word] |= single[word, lexicon] >= 0
    continues = np.zeros(len(opens), np.bool_)  # the word is the second of some opening pair
    for key in pair_keys:
        continues[key & 0xFFFFFFFF] = True
    for token in range(token_count):
        word = word_ids[token]
        end = sentence_end[token]
        walks = False
        if token + 1 < end:
            following = word_ids[token + 1]
            walks = always_walks[word] or (opens[word] and continues[following]
                                           and _find(pair_keys, (word << 32) | following) >= 0)
        if not walks and not has_single[word]:
            continue
        if walks:
            best_last[:] = -1
            depth = 0
            for column in range(start_nodes.shape[1]):
                if start_nodes[word, column] >= 0:
                    stack_node[depth], stack_position[depth] = start_nodes[word, column], token
                    depth += 1
            while depth:
                depth -= 1
                node, position = stack_node[depth], stack_position[depth] + 1
                if position >= end:
                    continue
                following = word_ids[position]
                key = (node << 32) | following
                slot = _find(edge_keys, key)
                exact_child = edge_child[slot] if slot >= 0 else -1
                number = number_child[node] if is_number[following] else -1
                stem_slot = _find(stem_keys, key)
                stem_count = 0
                while stem_slot >= 0 and stem_slot + stem_count < len(stem_keys) and stem_keys[stem_slot + stem_count] == key:
                    stem_count += 1
                for child_index in range(2 + stem_count):
                    if child_index == 0:
                        child = exact_child
                    elif child_index == 1:
                        child = number
                    else:
                        child = stem_child[stem_slot + child_index - 2]
                    if child < 0:
                        continue
                    if node_entry[child] >= 0:
                        lexicon = node_lexicon[child]
                        if position > best_last[lexicon] or (position == best_last[lexicon]
                                                             and node_order[child] < best_order[lexicon]):
                            best_last[lexicon], best_order[lexicon] = position, node_order[child]
                            best_entry[lexicon] = node_entry[child]
                    stack_node[depth], stack_position[depth] = child, position
                    depth += 1
        for lexicon in range(lexicon_count):
            if token < next_free[lexicon]:
                continue  # inside a kept phrase of this lexicon
            if walks and best_last[lexicon] >= 0:
                match_last, match_entry = best_last[lexicon], best_entry[lexicon]
                next_free[lexicon] = match_last + 1
            elif single[word, lexicon] >= 0:
                match_last, match_entry = token, single[word, lexicon]
            else:
                continue
            first[found], last[found], entry[found] = token, match_last, match_entry
            found += 1
    return first[:found].copy(), last[:found].copy(), entry[:found].copy()


@_compiled
def token_spans(codes, char_classes, word, digit, letter, hyphen, apostrophe, decimal_mark, period, ess):  # pragma: no cover
    """(starts, ends) of ``tokens.tokenize``'s words, from the class bits of each character (the bit
    values are ``token_arrays``'). The steps are ``token_arrays.token_spans``' (its docstring has the
    rules); joins and the 's split are decided from the runs as they were before any join."""
    size = len(codes)
    classes = np.zeros(size + 4, np.uint8)  # classes[i + 2] is character i's; two blanks either side
    in_run = np.zeros(size + 4, np.bool_)
    joiners = 0
    for index in range(size):
        bits = char_classes[codes[index]]
        classes[index + 2] = bits
        in_run[index + 2] = (bits & word) != 0
        if bits & (apostrophe | hyphen | decimal_mark):
            joiners += 1
    at = np.empty(joiners, np.int64)
    found = 0
    for index in range(2, size + 2):
        if classes[index] & (apostrophe | hyphen | decimal_mark):
            at[found] = index
            found += 1
    own_s = np.zeros(joiners, np.bool_)
    for item in range(joiners):  # 's after a word character or period: its own token
        place = at[item]
        final_s = (classes[place + 1] & ess) != 0 and (classes[place + 2] & word) == 0
        own_s[item] = ((classes[place] & apostrophe) != 0 and (classes[place - 1] & (word | period)) != 0
                       and final_s)
    for item in range(joiners):
        if own_s[item]:
            in_run[at[item] + 1] = False
    joins = np.zeros(joiners, np.bool_)
    for item in range(joiners):
        place = at[item]
        this, before, after, after_next = classes[place], classes[place - 1], classes[place + 1], classes[place + 2]
        final_s = (after & ess) != 0 and (after_next & word) == 0
        word_after = (after & word) != 0
        joins[item] = in_run[place - 1] and (
            ((this & hyphen) != 0 and word_after)
            or ((this & apostrophe) != 0 and word_after and not final_s)
            or ((this & decimal_mark) != 0 and (before & digit) != 0 and (after & digit) != 0)
            or ((this & period) != 0 and (after & letter) != 0 and (after_next & period) != 0))
    for item in range(joiners):
        if joins[item]:
            in_run[at[item]] = True
    s_count = 0
    for item in range(joiners):
        s_count += own_s[item]
    starts = np.empty(size // 2 + 1 + s_count, np.int64)  # runs are separated, so at most one per two characters
    ends = np.empty(len(starts), np.int64)
    count = 0
    s_item = 0
    position = 0
    while position < size:
        if not in_run[position + 2]:
            position += 1
            continue
        start = position
        while position < size and in_run[position + 2]:
            position += 1
        end = position
        if ((classes[end + 2] & period) != 0 and (classes[end + 1] & letter) != 0
                and (classes[end] & period) != 0):  # an initialism keeps its last period
            end += 1
        while s_item < joiners and (not own_s[s_item] or at[s_item] - 2 < start):
            if own_s[s_item]:
                starts[count], ends[count] = at[s_item] - 2, at[s_item]
                count += 1
            s_item += 1
        starts[count], ends[count] = start, end
        count += 1
    while s_item < joiners:
        if own_s[s_item]:
            starts[count], ends[count] = at[s_item] - 2, at[s_item]
            count += 1
        s_item += 1
    return starts[:count].copy(), ends[:count].copy()


_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of hash * _MIX pick a table slot


@_compiled
def _shift(size):  # pragma: no cover (compiled)
    """For a table of ``size`` slots (a power of two, at least 2): 64 less its bits, the shift that
    keeps the top bits of key * _MIX (Fibonacci hashing) as a key's first slot."""
    bits = 0
    while (1 << bits) < size:
        bits += 1
    return np.uint64(64 - bits)


@_compiled
def _place(table_hash, table_slot, key, slot, shift):  # pragma: no cover (compiled)
    """Put ``key`` -> ``slot`` in the open-addressing table (linear probing; the key is not in it)."""
    index = np.int64((key * _MIX) >> shift)
    while table_slot[index] >= 0:
        index = (index + 1) & (len(table_hash) - 1)
    table_hash[index], table_slot[index] = key, slot


@_compiled
def hash_slots(hashes, skip, table_hash, table_slot, slot_count):  # pragma: no cover (compiled)
    """The slot of each token's hash in a table kept across batches (a new hash gets the next slot);
    -1 where ``skip``. Returns the slots, the first token of each new slot (in slot order), and the
    table, doubled whenever it would be more than half full."""
    slots = np.full(len(hashes), -1, np.int64)
    new_tokens = np.empty(len(hashes), np.int64)
    added = 0
    shift = _shift(len(table_hash))
    for token in range(len(hashes)):
        if skip[token]:
            continue
        if 2 * (slot_count + added + 1) > len(table_hash):
            bigger_hash = np.zeros(2 * len(table_hash), np.uint64)
            bigger_slot = np.full(2 * len(table_hash), -1, np.int64)
            shift = _shift(len(bigger_hash))
            for index in range(len(table_hash)):
                if table_slot[index] >= 0:
                    _place(bigger_hash, bigger_slot, table_hash[index], table_slot[index], shift)
            table_hash, table_slot = bigger_hash, bigger_slot
        key = hashes[token]
        index = np.int64((key * _MIX) >> shift)
        while table_slot[index] >= 0 and table_hash[index] != key:
            index = (index + 1) & (len(table_hash) - 1)
        if table_slot[index] < 0:
            table_hash[index], table_slot[index] = key, slot_count + added
            new_tokens[added] = token
            added += 1
        slots[token] = table_slot[index]
    return slots, new_tokens[:added].copy(), table_hash, table_slot


@_compiled
def _closing(codes, start, mark):  # pragma: no cover (compiled)
    """Index of the first ``mark`` at or after ``start`` on the same line, or -1."""
    for position in range(start, len(codes)):
        if codes[position] == mark:
            return position
        if codes[position] == 10:  # newline
            return -1
    return -1


@_compiled
def quote_spans(codes):  # pragma: no cover (compiled)
    """(start, end) rows of the quotations ``evidence.QUOTATION`` finds, scanning left to right as
    ``re.finditer`` does: “…”, «…», "…", and ''…'' or ``…'' (to the first '' after the opening),
    each on one line."""
    curly_open, curly_close, guillemet_open, guillemet_close = 0x201C, 0x201D, 0xAB, 0xBB
    straight, apostrophe, backtick = 0x22, 0x27, 0x60
    size = len(codes)
    spans = np.empty((size // 2 + 1, 2), np.int64)  # quotations do not overlap and hold two marks each
    found = 0
    position = 0
    while position < size:
        code = codes[position]
        end = -1
        if code == curly_open:
            end = _closing(codes, position + 1, curly_close)
        elif code == guillemet_open:
            end = _closing(codes, position + 1, guillemet_close)
        elif code == straight:
            end = _closing(codes, position + 1, straight)
        elif (code == apostrophe or code == backtick) and position + 1 < size and codes[position + 1] == code:
            after = position + 2
            while after + 1 < size and codes[after] != 10:
                if codes[after] == apostrophe and codes[after + 1] == apostrophe:
                    end = after + 1
                    break
                after += 1
        if end >= 0:
            spans[found, 0], spans[found, 1] = position, end + 1
            found += 1
            position = end + 1
        else:
            position += 1
    return spans[:found].copy()


@_compiled
def plain_ascii_words(codes, starts, ends):  # pragma: no cover (compiled)
    """Per span ``codes[start:end]``: two characters or more, all ASCII, no hyphen, no digit first."""
    plain = np.zeros(len(starts), np.bool_)
    for span in range(len(starts)):
        start, end = starts[span], ends[span]
        if end - start < 2 or 48 <= codes[start] <= 57:
            continue
        plain[span] = True
        for position in range(start, end):
            if codes[position] >= 128 or codes[position] == 45:
                plain[span] = False
                break
    return plain


@_compiled
def utf8_slices(codes, starts, ends):  # pragma: no cover (compiled)
    """The UTF-8 bytes of each slice ``codes[start:end]``, end to end, and the offsets between them
    (an Arrow string array's buffers); ``ok`` is False if a slice holds a surrogate, which UTF-8 cannot
    encode (the caller then lets Python raise its error)."""
    offsets = np.zeros(len(starts) + 1, np.int64)
    for item in range(len(starts)):
        size = 0
        for position in range(starts[item], ends[item]):
            code = codes[position]
            if 0xD800 <= code <= 0xDFFF:
                return offsets, np.zeros(0, np.uint8), False
            size += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        offsets[item + 1] = offsets[item] + size
    data = np.empty(offsets[-1], np.uint8)
    at = 0
    for item in range(len(starts)):
        for position in range(starts[item], ends[item]):
            code = codes[position]
            if code < 0x80:
                data[at] = code
                at += 1
            elif code < 0x800:
                data[at], data[at + 1] = 0xC0 | (code >> 6), 0x80 | (code & 0x3F)
                at += 2
            elif code < 0x10000:
                data[at], data[at + 1], data[at + 2] = 0xE0 | (code >> 12), 0x80 | ((code >> 6) & 0x3F), 0x80 | (code & 0x3F)
                at += 3
            else:
                data[at], data[at + 1] = 0xF0 | (code >> 18), 0x80 | ((code >> 12) & 0x3F)
                data[at + 2], data[at + 3] = 0x80 | ((code >> 6) & 0x3F), 0x80 | (code & 0x3F)
                at += 4
    return offsets, data, True


@_compiled
def classes_and_marks(codes, char_classes, last, first_bits, second_bits):  # pragma: no cover (compiled)
    """Each character's class (``char_classes[code]``) with ``last`` appended, and the positions whose
    class has one of ``first_bits``, then of ``second_bits``, in one pass."""
    size = len(codes)
    classes = np.empty(size + 1, char_classes.dtype)
    first = np.empty(size + 1, np.int64)
    second = np.empty(size + 1, np.int64)
    first_count = second_count = 0
    for position in range(size + 1):
        bits = char_classes[codes[position]] if position < size else last
        classes[position] = bits
        if bits & first_bits:
            first[first_count] = position
            first_count += 1
        if bits & second_bits:
            second[second_count] = position
            second_count += 1
    return classes, first[:first_count].copy(), second[:second_count].copy()


# Tone rules: a rule word's kind (from its category), and the reasons a factor is applied for, numbered in
# the order of tone_rules.REASONS. A code point's clause classes: a CLAUSE_MARKS character, whitespace.
NEGATOR, INTENSIFIER, DIMINISHER, CONTRAST = 0, 1, 2, 3
NEGATED, INTENSIFIED, DIMINISHED, AFTER_CONTRAST, BEFORE_CONTRAST, AFTER_CONCESSIVE, QUOTATION = range(7)
CLAUSE_MARK, CLAUSE_SPACE = 1, 2
_HYPHEN = 45


@_compiled
def _clause_break(codes, clause_classes, start, end):  # pragma: no cover (compiled)
    """Whether codes[start:end] holds a clause break: a clause mark, ``\\s-\\s`` or ``--`` (tone_rules._CLAUSE_BREAK)."""
    for position in range(start, end):
        code = codes[position]
        if clause_classes[code] & CLAUSE_MARK:
            return True
        if code == _HYPHEN and position + 1 < end:
            if codes[position + 1] == _HYPHEN:
                return True
            if (position > start and clause_classes[codes[position - 1]] & CLAUSE_SPACE
                    and clause_classes[codes[position + 1]] & CLAUSE_SPACE):
                return True
    return False


@_compiled
def tone_rule_factors(word_first, word_start, word_negative, word_quoted, low, high, rule_first, rule_last,
                      rule_end, rule_kind, rule_weight, codes, clause_classes, negation_window, negation_clause,
                      negated_negative, concessive_clause, quote_factor):  # pragma: no cover (compiled)
    """``tone_multiplier`` for each tone word: its first token and offset, sign and quotation; its sentence's
    rule words are rows ``low:high`` of the rule arrays. Returns each word's multiplier and every factor
    applied, in order: (word, reason, rule row or -1, factor)."""
    count = len(word_first)
    multiplier = np.ones(count)
    size = count
    for word in range(count):
        size += high[word] - low[word]
    reason_word = np.empty(size, np.int64)
    reason_kind = np.empty(size, np.int64)
    reason_rule = np.empty(size, np.int64)
    reason_factor = np.empty(size)
    found = 0
    for word in range(count):
        first = word_first[word]
        product = 1.0
        for row in range(low[word], high[word]):
            kind, weight, last = rule_kind[row], rule_weight[row], rule_last[row]
            reason, factor = -1, 1.0
            if kind == NEGATOR and first - negation_window <= last and last < first:
                if negation_clause and _clause_break(codes, clause_classes, rule_end[row], word_start[word]):
                    continue
                factor = (weight * negated_negative if word_negative[word] else weight) + 0.0
                reason = NEGATED
            elif (kind == INTENSIFIER or kind == DIMINISHER) and last == first - 1:
                factor = weight
                reason = INTENSIFIED if kind == INTENSIFIER else DIMINISHED
            elif kind == CONTRAST:
                after = last < first
                factor = weight if after else 2.0 - weight
                side = AFTER_CONTRAST if after else BEFORE_CONTRAST
                if (after and weight < 1.0 and concessive_clause
                        and _clause_break(codes, clause_classes, rule_end[row], word_start[word])):
                    factor, side = 2.0 - weight, AFTER_CONCESSIVE
                if rule_first[row] > first or after:
                    reason = side
            if reason >= 0:
                product *= factor
                reason_word[found], reason_kind[found], reason_rule[found], reason_factor[found] = word, reason, row, factor
                found += 1
        if word_quoted[word] and quote_factor != 1.0:
            product *= quote_factor
            reason_word[found], reason_kind[found], reason_rule[found], reason_factor[found] = word, QUOTATION, -1, quote_factor
            found += 1
        multiplier[word] = product
    return multiplier, reason_word[:found], reason_kind[:found], reason_rule[:found], reason_factor[:found]


@_compiled
def group_sums(groups, values, count):  # pragma: no cover (compiled)
    """Per group (0 to count - 1), the sum of its rows' ``values`` in row order, compensated as pandas'
    grouped sum is (Kahan); rows of group -1 are left out."""
    sums = np.zeros(count)
    compensation = np.zeros(count)
    for row in range(len(groups)):
        group = groups[row]
        if group < 0:
            continue
        adjusted = values[row] - compensation[group]
        total = sums[group] + adjusted
        compensation[group] = total - sums[group] - adjusted
        if compensation[group] != compensation[group]:  # an infinite sum: go on without compensation
            compensation[group] = 0.0
        sums[group] = total
    return sums


def compile_all() -> None:
    """Compile (or load from the disk cache) every kernel now, on tiny inputs of the real types
    (a text's code points are a read-only buffer, which numba types apart from a writable array)."""
    codes = np.frombuffer(np.zeros(1, np.uint32).tobytes(), np.uint32)
    token_spans(codes, np.zeros(1, np.uint8), *range(1, 9))
    none, one, bools = np.zeros(0, np.int64), np.ones(1, np.int64), np.zeros(1, np.bool_)
    word_hashes(codes, np.zeros(1, np.uint32), none + 0, one - 1, np.uint64(3), np.uint64(5), 3)
    table = np.full((1, 1), -1, np.int64)
    lexicon_matches(one - 1, one, table, bools, bools, none, table, none, none, none, none, none, bools, none, none, none)
    quote_spans(codes)
    utf8_slices(codes, none, none)
    plain_ascii_words(codes, none, none)
    classes_and_marks(codes, np.zeros(1, np.uint16), np.uint16(1), 1, 2)
    hash_slots(np.zeros(1, np.uint64), bools, np.zeros(2, np.uint64), np.full(2, -1, np.int64), 0)
    group_sums(none, np.zeros(0), 1)
    tone_rule_factors(none, none, bools[:0], bools[:0], none, none, none, none, none, none, np.zeros(0), codes,
                      np.zeros(1, np.uint8), 3, True, 1.0, True, 1.0)
