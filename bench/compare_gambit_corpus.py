#!/usr/bin/python3
"""Helper for bench/compare_gambit_corpus.sh: runs Stratagem and Gambit's command-line solvers on
every .nfg/.efg file of a corpus, compares their equilibria and writes results.tsv + summary.txt.

Standard library only. Run it through the shell script (which checks the tools, applies the
memory cap and picks the defaults); `--help` lists the options.

What is compared (method pairs, Stratagem <-> Gambit):
  pure            solve --method pure              <-> gambit-enumpure -q     (-S on trees)
  enumerate       solve --method enumerate         <-> gambit-enummixed -q -d 10   (2 players)
  enumerate-exact solve --method enumerate --exact <-> gambit-enummixed -q (fractions) (2 players)
  sequence-lcp    solve --method sequence-lcp      <-> gambit-lcp -q -d 10    (2-player trees)
  zero-sum        solve --method zero-sum          <-> gambit-lp -q -d 10     (2-player constant-sum)

Layouts. Both sides print `NE,p1,p2,...`. On .nfg files both list each player's strategies in
file order. On .efg files Stratagem's strategic-form methods print the reduced normal form, as do
gambit-enummixed and gambit-enumpure -S; the two reduced forms are compared payoff by payoff
(Gambit's via `gambit-convert -O html`, exact; Stratagem's via `stratagem convert --to nfg`) and,
when strategies are merely ordered differently, Stratagem's profiles are permuted into Gambit's
order. If the reduced forms cannot be matched, only counts are compared ("layout differs").
sequence-lcp and gambit-lcp both print behaviour strategies, player by player, information sets
in tree order; gambit-lp on a tree prints behaviour strategies (sequence form) while Stratagem's
zero-sum prints the reduced strategic form, so for zero-sum only the game values are compared.

Agreement. Sets (pure, enumerate, enumerate-exact) agree when they are equal as sets of
distinct profiles: profiles equal within 1e-6 per probability (exactly, as fractions, for
enumerate-exact). gambit-enummixed prints an equilibrium of a degenerate game once for every
vertex pair that represents it; such repeats are counted in the note, not as disagreements. For
sequence-lcp and zero-sum, where each tool returns "one or some" equilibria, they agree when every
profile of both sides is verified to be an equilibrium (regret check below) and, for zero-sum, the
values are equal. Every printed profile of both sides is checked independently: its regret (best
deviation gain) is computed in rational arithmetic from the game itself (strategic table from the
.nfg file or Gambit's reduced form; behaviour profiles on this script's own reading of the .efg
tree), with a tolerance covering the printed rounding (zero for fractions).
"""

import argparse
import html
import math
import os
import re
import statistics
import subprocess
import sys
import time
from fractions import Fraction

sys.setrecursionlimit(100000)

TOL = 1e-6                     # per-probability tolerance for decimal profiles
MAX_TABLE = 200000             # strategic tables larger than this are not regret-checked


# ----------------------------------------------------------------------------------------------
# Reading Gambit's file formats (own reader, written from the format's documentation)

def tokenize(text):
    """Tokens of a Gambit file: ('s', string) for quoted strings, '{', '}', or a bare word."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace() or c == ',':
            i += 1
        elif c in '{}':
            out.append(c)
            i += 1
        elif c == '"':
            j, buf = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == '\\' and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            out.append(('s', ''.join(buf)))
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '{},"':
                j += 1
            out.append(text[i:j])
            i = j
    return out


def is_str(tok):
    return isinstance(tok, tuple)


class Table:
    """A strategic form: counts[i] strategies per player; pay[idx] = tuple of payoffs, with the
    first player's strategy varying fastest (the .nfg order)."""

    def __init__(self, counts, pay):
        self.counts, self.pay = list(counts), pay

    def decode(self, idx):
        s = []
        for c in self.counts:
            s.append(idx % c)
            idx //= c
        return s

    def encode(self, s):
        idx = 0
        for c, si in zip(reversed(self.counts), reversed(s)):
            idx = idx * c + si
        return idx

    def payoff_range(self):
        vals = [v for p in self.pay for v in p]
        return (max(vals) - min(vals)) if vals else Fraction(0)

    def constant_sum(self):
        sums = {sum(p) for p in self.pay}
        return len(sums) == 1


def parse_nfg(text):
    t = tokenize(text)
    p = 0
    if t[0] != 'NFG':
        raise ValueError('not an NFG file')
    p = 3
    if is_str(t[p]):
        p += 1                                                  # title
    assert t[p] == '{'
    p += 1
    players = []
    while t[p] != '}':
        players.append(t[p][1])
        p += 1
    p += 1
    assert t[p] == '{'
    p += 1
    counts = []
    while t[p] != '}':
        if t[p] == '{':                                         # strategy names
            p += 1
            k = 0
            while t[p] != '}':
                k += 1
                p += 1
            counts.append(k)
        else:
            counts.append(int(t[p]))
        p += 1
    p += 1
    if p < len(t) and is_str(t[p]):
        p += 1                                                  # comment
    n, size = len(players), math.prod(counts)
    if p < len(t) and t[p] == '{':                              # outcome version
        p += 1
        outcomes = []
        while t[p] != '}':
            assert t[p] == '{'
            p += 1
            if is_str(t[p]):
                p += 1
            vals = []
            while t[p] != '}':
                vals.append(Fraction(t[p]))
                p += 1
            p += 1
            outcomes.append(tuple(vals))
        p += 1
        pay = []
        for _ in range(size):
            k = int(t[p])
            p += 1
            pay.append(outcomes[k - 1] if k > 0 else tuple(Fraction(0) for _ in range(n)))
    else:
        nums = [Fraction(x) for x in t[p:p + n * size]]
        pay = [tuple(nums[i * n:(i + 1) * n]) for i in range(size)]
    return players, Table(counts, pay)


class Node:
    __slots__ = ('kind', 'player', 'iset', 'actions', 'probs', 'payoff', 'children')


class Tree:
    """An .efg tree: root Node; isets[player] = infoset numbers in tree (preorder) order;
    actions[(player, number)] = number of actions; payoffs at leaves include outcomes on the path."""

    def __init__(self, text):
        t = tokenize(text)
        if t[0] != 'EFG':
            raise ValueError('not an EFG file')
        p = 3
        if is_str(t[p]):
            p += 1
        assert t[p] == '{'
        p += 1
        self.players = []
        while t[p] != '}':
            self.players.append(t[p][1])
            p += 1
        p += 1
        if p < len(t) and is_str(t[p]):
            p += 1
        self.n = len(self.players)
        self.outcomes = {}
        self.iset_actions = {}
        self.chance_probs = {}
        self.isets = {i: [] for i in range(1, self.n + 1)}
        self.t, self.p = t, p
        zero = tuple(Fraction(0) for _ in range(self.n))
        self.root = self._node(zero)
        del self.t

    def _tok(self):
        tok = self.t[self.p]
        self.p += 1
        return tok

    def _peek(self):
        return self.t[self.p] if self.p < len(self.t) else None

    def _outcome(self):
        k = int(self._tok())
        if is_str(self._peek()):
            self._tok()
        if self._peek() == '{':
            self._tok()
            vals = []
            while self._peek() != '}':
                vals.append(Fraction(self._tok()))
            self._tok()
            self.outcomes[k] = tuple(vals)
        if k == 0:
            return None
        return self.outcomes[k]

    def _node(self, acc):
        node = Node()
        node.kind = self._tok()
        self._tok()                                             # node name
        if node.kind == 't':
            out = self._outcome()
            node.payoff = tuple(a + b for a, b in zip(acc, out)) if out else acc
            node.children = []
            return node
        node.player = 0 if node.kind == 'c' else int(self._tok())
        node.iset = int(self._tok())
        key = (node.player, node.iset)
        if is_str(self._peek()):
            self._tok()                                         # infoset name
        if self._peek() == '{':
            self._tok()
            acts, probs = [], []
            while self._peek() != '}':
                acts.append(self._tok()[1])
                if node.player == 0:
                    probs.append(Fraction(self._tok()))
            self._tok()
            self.iset_actions[key] = len(acts)
            if node.player == 0:
                self.chance_probs[key] = probs
        if node.player > 0 and node.iset not in self.isets[node.player]:
            self.isets[node.player].append(node.iset)
        node.probs = self.chance_probs.get(key)
        out = self._outcome()
        if out:
            acc = tuple(a + b for a, b in zip(acc, out))
        node.payoff = None
        node.children = [self._node(acc) for _ in range(self.iset_actions[key])]
        return node

    def layout_size(self):
        return sum(self.iset_actions[(i, s)] for i in self.isets for s in self.isets[i])

    def split(self, vec):
        """NE vector -> {(player, infoset): [probs]} in Gambit's behaviour layout."""
        out, k = {}, 0
        for i in range(1, self.n + 1):
            for s in self.isets[i]:
                m = self.iset_actions[(i, s)]
                out[(i, s)] = vec[k:k + m]
                k += m
        return out

    def perfect_recall(self):
        seen = {}

        def walk(node, hist):
            if node.kind == 't':
                return True
            if node.player > 0:
                key = (node.player, node.iset)
                own = tuple(h for h in hist if h[0] == node.player)
                if seen.setdefault(key, own) != own:
                    return False
            for a, c in enumerate(node.children):
                if not walk(c, hist + ((node.player, node.iset, a),)):
                    return False
            return True
        return walk(self.root, ())

    def payoff_range(self):
        vals = []

        def walk(node):
            if node.kind == 't':
                vals.extend(node.payoff)
            for c in node.children:
                walk(c)
        walk(self.root)
        return (max(vals) - min(vals)) if vals else Fraction(0)


def parse_gambit_html(text):
    """Gambit's `gambit-convert -O html` rendering of the (reduced) strategic form -> Table."""
    parts = re.split(r'(<table>.*?</table>)', text, flags=re.S)
    cells, header, counts_rest = [], {}, {}
    rows = cols = None
    for part in parts:
        if not part.startswith('<table>'):
            found = re.findall(r'Player (\d+) Strategy (\d+)', part)
            if found:
                header = {int(a): int(b) for a, b in found}
                for a, b in header.items():
                    counts_rest[a] = max(counts_rest.get(a, 0), b)
            continue
        cols = int(re.search(r'colspan="(\d+)" align="center"', part).group(1))
        rows = int(re.search(r'rowspan="(\d+)" align="center" valign="middle"', part).group(1))
        vals = re.findall(r'<td align=center>([^<]*)</td>', part)
        assert len(vals) == rows * cols
        for k, v in enumerate(vals):
            prof = (k // cols, k % cols) + tuple(header[a] - 1 for a in sorted(header))
            cells.append((prof, tuple(Fraction(x) for x in html.unescape(v).split(','))))
    if rows is None:
        raise ValueError('no table')
    counts = [rows, cols] + [counts_rest[a] for a in sorted(counts_rest)]
    table = Table(counts, [None] * math.prod(counts))
    for prof, pay in cells:
        table.pay[table.encode(prof)] = pay
    if any(p is None for p in table.pay):
        raise ValueError('incomplete table')
    return table


# ----------------------------------------------------------------------------------------------
# Profiles and regrets

def parse_ne(stdout):
    """`NE,...` lines -> list of lists of Fractions (decimals are read exactly as printed)."""
    out = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith('NE,'):
            out.append([Fraction(x) for x in line[3:].split(',') if x != ''])
    return out


def is_exact_text(stdout):
    return not re.search(r'NE,.*\.', stdout)


def same(a, b, exact):
    if len(a) != len(b):
        return False
    if exact:
        return all(x == y for x, y in zip(a, b))
    return all(abs(x - y) <= TOL for x, y in zip(a, b))


def match_sets(ours, theirs, exact):
    """(unmatched of ours, unmatched of theirs), matching equal profiles one to one."""
    left = list(theirs)
    unmatched = []
    for a in ours:
        for k, b in enumerate(left):
            if same(a, b, exact):
                del left[k]
                break
        else:
            unmatched.append(a)
    return unmatched, left


def normalise(probs):
    s = sum(probs)
    return [x / s for x in probs] if s > 0 else probs


def strategic_regret(table, vec):
    """Largest gain of a unilateral pure deviation; (regret, payoff vector) or None if too big."""
    if len(table.pay) > MAX_TABLE or len(vec) != sum(table.counts):
        return None
    mix, k = [], 0
    for c in table.counts:
        mix.append(normalise(vec[k:k + c]))
        k += c
    n = len(table.counts)
    gains = [[Fraction(0)] * c for c in table.counts]
    value = [Fraction(0)] * n
    for idx, pay in enumerate(table.pay):
        s = table.decode(idx)
        probs = [mix[i][s[i]] for i in range(n)]
        if sum(1 for q in probs if q == 0) > 1:
            continue
        for i in range(n):
            others = Fraction(1)
            for j in range(n):
                if j != i:
                    others *= probs[j]
                    if others == 0:
                        break
            if others:
                gains[i][s[i]] += others * pay[i]
                value[i] += others * probs[i] * pay[i]
    regret = max(max(g) - v for g, v in zip(gains, value))
    return regret, value


def behaviour_regret(tree, vec):
    """Regret of a behaviour profile of a perfect-recall tree; (regret, payoff vector) or None."""
    if len(vec) != tree.layout_size():
        return None
    beh = {k: normalise(v) for k, v in tree.split(vec).items()}

    def prob(node, a):
        return node.probs[a] if node.player == 0 else beh[(node.player, node.iset)][a]

    def value(node):
        if node.kind == 't':
            return node.payoff
        tot = [Fraction(0)] * tree.n
        for a, c in enumerate(node.children):
            q = prob(node, a)
            if q:
                for i, v in enumerate(value(c)):
                    tot[i] += q * v
        return tot

    values = value(tree.root)
    regret = Fraction(0)
    for i in range(1, tree.n + 1):
        members = {}                                            # infoset -> [(node, reach_-i)]

        def collect(node, reach):
            if node.kind == 't':
                return
            if node.player == i:
                members.setdefault(node.iset, []).append((node, reach))
                for c in node.children:
                    collect(c, reach)
            else:
                for a, c in enumerate(node.children):
                    q = prob(node, a)
                    if q:
                        collect(c, reach * q)
        collect(tree.root, Fraction(1))
        choice = {}

        def best(node):
            if node.kind == 't':
                return node.payoff[i - 1]
            if node.player == i:
                return best(node.children[pick(node.iset)])
            tot = Fraction(0)
            for a, c in enumerate(node.children):
                q = prob(node, a)
                if q:
                    tot += q * best(c)
            return tot

        def pick(iset):
            if iset not in choice:
                m = tree.iset_actions[(i, iset)]
                scores = [sum(r * best(nd.children[a]) for nd, r in members.get(iset, []))
                          for a in range(m)]
                choice[iset] = scores.index(max(scores))
            return choice[iset]

        regret = max(regret, best(tree.root) - values[i - 1])
    return regret, values


def tolerance(stdout, nentries, scale):
    """Regret tolerance for a printed profile: 0 for fractions, else the effect of rounding."""
    if is_exact_text(stdout):
        return Fraction(0)
    decimals = [len(m) for m in re.findall(r'\.(\d+)', stdout)]
    unit = Fraction(1, 10 ** min(decimals)) if decimals else Fraction(0)
    return (unit * (nentries + 1) * 2 + Fraction(1, 10 ** 9)) * max(scale, Fraction(1))


# ----------------------------------------------------------------------------------------------
# Running the tools

class Run:
    def __init__(self, cmd, timeout):
        start = time.perf_counter()
        proc = subprocess.run(['timeout', '--kill-after=5', str(timeout)] + cmd,
                              capture_output=True, text=True, errors='replace')
        self.wall = time.perf_counter() - start
        self.rc, self.out, self.err = proc.returncode, proc.stdout, proc.stderr
        self.cmd = cmd
        if self.rc == 0:
            self.status = 'ok'
        elif self.rc in (124, 137):
            self.status = 'timeout'
        elif self.rc > 128:
            self.status = 'signal%d' % (self.rc - 128)
        else:
            self.status = 'exit%d' % self.rc
        self.first_err = next((ln.strip() for ln in self.err.splitlines() if ln.strip()), '')
        self.profiles = parse_ne(self.out) if self.rc == 0 else []


def wall_time(cmd, timeout):
    """Wall time of one more run of cmd (output discarded), or None when it fails."""
    start = time.perf_counter()
    proc = subprocess.run(['timeout', '--kill-after=5', str(timeout)] + cmd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall if proc.returncode == 0 else None


def retime(s, g, timeout, repeats, below):
    """Fast runs on both sides are timed `repeats` more times, alternating the tools, and keep
    their fastest time: single runs of a few milliseconds are within the machine's noise."""
    if repeats <= 0 or s.status != 'ok' or g.status != 'ok' or max(s.wall, g.wall) >= below:
        return
    for _ in range(repeats):
        for run in (s, g):
            w = wall_time(run.cmd, timeout)
            if w is not None:
                run.wall = min(run.wall, w)


class Absent:
    """The Gambit side of a method Gambit's command-line tools do not offer."""
    def __init__(self):
        self.wall, self.rc, self.out, self.err, self.cmd = 0.0, None, '', '', []
        self.status, self.first_err, self.profiles = 'n.a.', '', []


def shell_cmd(cmd):
    if not cmd:
        return '(no Gambit tool)'
    return ' '.join(c if re.fullmatch(r'[\w./+=:-]+', c) else "'%s'" % c for c in cmd)


class Corpus:
    def __init__(self, args):
        self.args = args
        self.rows = []

    def gb(self, tool):
        return os.path.join(self.args.gambit_bin, tool)

    def sg(self, f, method, *extra):
        return [self.args.stratagem, 'solve', f, '--method', method, '--format', 'gambit',
                '--threads', str(self.args.threads)] + list(extra)

    def run_file(self, f, rel):
        a = self.args
        is_efg = f.endswith('.efg')
        text = open(f, encoding='utf-8', errors='replace').read()
        tree = table = None
        info_note = []
        try:
            if is_efg:
                tree = Tree(text)
                nplayers = tree.n
            else:
                _, table = parse_nfg(text)
                nplayers = len(table.counts)
        except Exception as exc:                                # our reader: not fatal
            info_note.append('own reader failed (%s)' % type(exc).__name__)
            m = re.search(r'\{([^}]*)\}', text)
            nplayers = len(re.findall(r'"[^"]*"', m.group(1))) if m else 0

        # Strategic forms of a tree: Gambit's (exact) and Stratagem's; do their layouts match?
        perm = None                                              # Stratagem index -> Gambit index
        layout = 'same'
        s_table = None
        if is_efg:
            conv = Run([a.stratagem, 'convert', f, '--to', 'nfg'], a.timeout)
            if conv.status == 'ok':
                try:
                    s_table = parse_nfg(conv.out)[1]
                except Exception:
                    s_table = None
            gconv = subprocess.run(['timeout', str(a.timeout), self.gb('gambit-convert'), '-q',
                                    '-O', 'html'], stdin=open(f), capture_output=True,
                                   text=True, errors='replace')
            if gconv.returncode == 0:
                try:
                    table = parse_gambit_html(gconv.stdout)
                except Exception:
                    table = None
            if table is None:
                layout = 'unchecked'
                table = s_table                                  # regrets on Stratagem's form
            elif s_table is None:
                layout = 'unchecked'
            else:
                perm = match_layout(s_table, table)
                layout = 'same' if perm == 'identity' else ('permuted' if perm else 'differs')
        two = nplayers == 2
        const = bool(table and two and table.constant_sum())
        if tree is not None and not tree.perfect_recall():
            info_note.append('imperfect recall')

        pairs = [('pure', self.sg(f, 'pure', '--max-equilibria', '1000000'),
                  [self.gb('gambit-enumpure'), '-q'] + (['-S'] if is_efg else []) + [f])]
        if two:
            pairs.append(('enumerate', self.sg(f, 'enumerate'),
                          [self.gb('gambit-enummixed'), '-q', '-d', '10', f]))
            pairs.append(('enumerate-exact', self.sg(f, 'enumerate', '--exact'),
                          [self.gb('gambit-enummixed'), '-q', f]))
        if two and is_efg:
            pairs.append(('sequence-lcp', self.sg(f, 'sequence-lcp'),
                          [self.gb('gambit-lcp'), '-q', '-d', '10', f]))
        if const:
            pairs.append(('zero-sum', self.sg(f, 'zero-sum'),
                          [self.gb('gambit-lp'), '-q', '-d', '10', f]))
        if os.path.exists(self.gb('gambit-enumpoly')) and nplayers >= 2:
            pairs.append(('support-newton', self.sg(f, 'support-newton'),
                          [self.gb('gambit-enumpoly'), '-q', '-d', '10']
                          + (['-S'] if is_efg else []) + [f]))
        if is_efg:
            # Gambit's command-line tools have no subgame-perfect solver: Stratagem's profiles
            # are checked alone (each must be a Nash equilibrium of the tree).
            pairs.append(('subgame-perfect', self.sg(f, 'subgame-perfect'), None))

        for method, scmd, gcmd in pairs:
            s = Run(scmd, a.timeout)
            g = Run(gcmd, a.timeout) if gcmd else Absent()
            retime(s, g, a.timeout, a.repeats, a.retime_below)
            row = compare(method, s, g, table, tree, perm, layout, is_efg)
            row['note'] = '; '.join(info_note + ([row['note']] if row['note'] else []))
            row.update(file=rel, s_cmd=shell_cmd(scmd), g_cmd=shell_cmd(gcmd))
            self.rows.append(row)
            if a.verbose:
                print('%-55s %-15s S:%-8s %3s %7.3fs  G:%-8s %3s %7.3fs  %s' % (
                    rel[-55:], method, row['s_status'], row['s_count'], s.wall, row['g_status'],
                    row['g_count'], g.wall, row['agree']), file=sys.stderr, flush=True)


def match_layout(s_table, g_table):
    """'identity' if the reduced forms are equal; a per-player permutation (list of lists mapping
    Stratagem's strategy k to Gambit's) if they are equal up to strategy order; else None."""
    def close(p, q):
        return len(p) == len(q) and all(abs(x - y) <= Fraction(1, 10 ** 6) * max(1, abs(y))
                                        for x, y in zip(p, q))
    if s_table.counts != g_table.counts:
        return None
    if all(close(p, q) for p, q in zip(s_table.pay, g_table.pay)):
        return 'identity'
    # strategies equal up to order: match by each strategy's rounded payoff signature
    n = len(s_table.counts)

    def signatures(t):
        sig = [[[] for _ in range(c)] for c in t.counts]
        for idx, pay in enumerate(t.pay):
            s = t.decode(idx)
            key = tuple(round(float(x), 6) for x in pay)
            for i in range(n):
                sig[i][s[i]].append(key)
        return [[tuple(sorted(x)) for x in pl] for pl in sig]
    ss, gs = signatures(s_table), signatures(g_table)
    perm = []
    for i in range(n):
        used, mapping = set(), []
        for sig in ss[i]:
            cand = [k for k, gsig in enumerate(gs[i]) if gsig == sig and k not in used]
            if not cand:
                return None
            used.add(cand[0])
            mapping.append(cand[0])
        perm.append(mapping)
    for idx, pay in enumerate(s_table.pay):
        s = s_table.decode(idx)
        if not close(pay, g_table.pay[g_table.encode([perm[i][s[i]] for i in range(n)])]):
            return None
    return perm


def permute(vec, counts, perm):
    out, k = [], 0
    for i, c in enumerate(counts):
        block = [Fraction(0)] * c
        for j in range(c):
            block[perm[i][j]] = vec[k + j]
        out += block
        k += c
    return out


def distinct(profiles, exact):
    """The profiles without repeats (equal within 1e-6 per probability, or exactly)."""
    out = []
    for v in profiles:
        if not any(same(v, w, exact) for w in out):
            out.append(v)
    return out


def compare(method, s, g, table, tree, perm, layout, is_efg):
    """One TSV row for a method pair."""
    row = dict(method=method, s_status=s.status, g_status=g.status,
               s_count=len(s.profiles) if s.status == 'ok' else '-',
               g_count=len(g.profiles) if g.status == 'ok' else '-',
               s_time='%.3f' % s.wall, g_time='%.3f' % g.wall, agree='n.a.')
    notes = []
    if s.status != 'ok':
        notes.append('S: ' + (s.first_err or s.status)[:160])
    elif s.err.strip():
        notes.append('S stderr: ' + s.first_err[:120])
    if g.status not in ('ok', 'n.a.'):
        notes.append('G: ' + (g.first_err or g.status)[:160])

    s_prof = list(s.profiles)
    behaviour_s = method in ('sequence-lcp', 'subgame-perfect')
    behaviour_g = method in ('sequence-lcp', 'zero-sum') and is_efg
    if isinstance(perm, list) and not behaviour_s:
        s_prof = [permute(v, table.counts, perm) for v in s_prof]

    # independent check of every printed profile
    def check(run, profiles, behaviour):
        if run.status != 'ok' or not profiles:
            return [], None
        if behaviour:
            if tree is None or not tree.perfect_recall():
                return None, None
            scale = tree.payoff_range()
            res = [behaviour_regret(tree, v) for v in profiles]
        else:
            if table is None:
                return None, None
            scale = table.payoff_range()
            res = [strategic_regret(table, v) for v in profiles]
        if any(r is None for r in res):
            return None, None
        tol = tolerance(run.out, len(profiles[0]), scale)
        bad = [r for r, _ in res if r > tol]
        return bad, [v for _, v in res]
    s_bad, s_vals = check(s, s_prof, behaviour_s)
    g_bad, g_vals = check(g, g.profiles, behaviour_g)
    for side, bad, n in (('s', s_bad, len(s_prof)), ('g', g_bad, len(g.profiles))):
        if bad is None:
            row[side + '_check'] = 'unchecked'
        elif not n:
            row[side + '_check'] = '-'
        elif bad:
            row[side + '_check'] = 'FAIL'
            notes.append('%s: %d of %d profiles are NOT equilibria (max regret %.3g)'
                         % (side.upper(), len(bad), n, float(max(bad))))
        else:
            row[side + '_check'] = 'ok'
    both = s.status == 'ok' and g.status == 'ok'

    if method in ('pure', 'enumerate', 'enumerate-exact') and both:
        if is_efg and layout in ('differs', 'unchecked'):
            row['agree'] = 'yes' if len(s_prof) == len(g.profiles) else 'no'
            notes.append('layout %s: counts only' % layout)
        else:
            exact = method == 'enumerate-exact'
            # Gambit's enummixed prints a degenerate game's equilibrium once per vertex pair that
            # represents it; compare distinct profiles, and say how many repeats were dropped.
            g_distinct = distinct(g.profiles, exact)
            s_distinct = distinct(s_prof, exact)
            if len(g_distinct) < len(g.profiles):
                notes.append('G lists %d profile(s) more than once (%d distinct)'
                             % (len(g.profiles) - len(g_distinct), len(g_distinct)))
            if len(s_distinct) < len(s_prof):
                notes.append('S lists %d profile(s) more than once' % (len(s_prof) - len(s_distinct)))
            s_only, g_only = match_sets(s_distinct, g_distinct, exact)
            row['agree'] = 'yes' if not s_only and not g_only else 'no'
            if s_only:
                notes.append('only S: ' + ' | '.join(fmt(v) for v in s_only[:3])
                             + (' ...' if len(s_only) > 3 else ''))
            if g_only:
                notes.append('only G: ' + ' | '.join(fmt(v) for v in g_only[:3])
                             + (' ...' if len(g_only) > 3 else ''))
            if exact and (s_only or g_only):
                a_only, b_only = match_sets(s_prof, g.profiles, False)
                if not a_only and not b_only:
                    notes.append('sets equal within 1e-6 but not as exact fractions')
            if layout == 'permuted':
                notes.append('reduced-form strategies reordered to Gambit\'s')
    elif method == 'support-newton' and both:
        # support-newton lists every regular equilibrium; enumpoly what its search finds. They
        # agree when every profile Gambit lists is among Stratagem's (which are all checked).
        if is_efg and layout in ('differs', 'unchecked'):
            row['agree'] = 'yes' if len(s_prof) >= len(distinct(g.profiles, False)) else 'no'
            notes.append('layout %s: counts only' % layout)
        else:
            s_distinct, g_distinct = distinct(s_prof, False), distinct(g.profiles, False)
            s_only, g_only = match_sets(s_distinct, g_distinct, False)
            row['agree'] = 'yes' if not g_only and s_bad == [] else 'no'
            if s_only:
                notes.append('S finds %d that G does not' % len(s_only))
            if g_only:
                notes.append('only G: ' + ' | '.join(fmt(v) for v in g_only[:3])
                             + (' ...' if len(g_only) > 3 else ''))
    elif method == 'sequence-lcp' and both:
        if s_bad is None or g_bad is None:
            row['agree'] = 'yes' if len(s_prof) > 0 and len(g.profiles) > 0 else 'no'
            notes.append('not verified: agree = both found one')
        else:
            row['agree'] = 'yes' if not s_bad and not g_bad and s_prof and g.profiles else 'no'
            if not s_prof:
                notes.append('S found none')
            if g.profiles and s_prof:
                found = any(same(g.profiles[0], v, False) for v in s_prof)
                notes.append('Gambit\'s equilibrium %s among S\'s' % ('is' if found else 'not'))
    elif method == 'zero-sum' and both:
        if s_vals and g_vals:
            sv, gv = s_vals[0][0], g_vals[0][0]
            scale = max(Fraction(1), table.payoff_range() if table else Fraction(1))
            equal = abs(sv - gv) <= Fraction(1, 10 ** 5) * scale
            row['agree'] = 'yes' if equal and not s_bad and not g_bad else 'no'
            notes.append('value S %.6g, G %.6g' % (float(sv), float(gv)))
        else:
            row['agree'] = 'no' if (not s_prof or not g.profiles) else 'n.a.'
            notes.append('values not computed')
    row['note'] = '; '.join(notes)
    return row


def fmt(v):
    return ','.join(str(x) if x.denominator < 10 ** 4 else '%.6g' % float(x) for x in v)


# ----------------------------------------------------------------------------------------------
# Summary

COLUMNS = ['file', 'method', 's_status', 's_count', 's_time', 'g_status', 'g_count', 'g_time',
           'agree', 's_check', 'g_check', 'note', 's_cmd', 'g_cmd']
METHODS = ['pure', 'enumerate', 'enumerate-exact', 'sequence-lcp', 'zero-sum', 'support-newton',
           'subgame-perfect']


def write_tsv(rows, path):
    with open(path, 'w') as fh:
        fh.write('\t'.join(COLUMNS) + '\n')
        for r in rows:
            fh.write('\t'.join(str(r[c]).replace('\t', ' ') for c in COLUMNS) + '\n')


def read_tsv(path):
    with open(path) as fh:
        head = fh.readline().rstrip('\n').split('\t')
        return [dict(zip(head, ln.rstrip('\n').split('\t'))) for ln in fh]


def summary(rows, slow_ratio, slow_min, slower_min):
    out = []
    files = sorted({r['file'] for r in rows})
    s_read = {r['file'] for r in rows if r['s_status'] == 'ok'}
    g_read = {r['file'] for r in rows if r['g_status'] == 'ok'}
    out.append('files: %d; read and solved by at least one method: Stratagem %d, Gambit %d'
               % (len(files), len(s_read), len(g_read)))
    out.append('files only Stratagem handles: %d; only Gambit: %d; neither: %d'
               % (len(s_read - g_read), len(g_read - s_read),
                  len(set(files) - s_read - g_read)))
    out.append('')
    out.append('%-16s %5s %6s %6s %5s %4s %5s %7s %8s %9s %9s %9s' % (
        'method', 'runs', 'S ok', 'G ok', 'both', 'yes', 'no', 'S-only', 'G-only',
        'med S/G', 'tot S/G', 'tot S s'))
    for m in METHODS:
        rs = [r for r in rows if r['method'] == m]
        if not rs:
            continue
        both = [r for r in rs if r['s_status'] == 'ok' and r['g_status'] == 'ok']
        ratios = [float(r['s_time']) / max(float(r['g_time']), 1e-4) for r in both]
        ts = sum(float(r['s_time']) for r in both)
        tg = sum(float(r['g_time']) for r in both)
        out.append('%-16s %5d %6d %6d %5d %4d %5d %7d %8d %9s %9s %9.2f' % (
            m, len(rs), sum(r['s_status'] == 'ok' for r in rs),
            sum(r['g_status'] == 'ok' for r in rs), len(both),
            sum(r['agree'] == 'yes' for r in rs), sum(r['agree'] == 'no' for r in rs),
            sum(r['s_status'] == 'ok' and r['g_status'] != 'ok' for r in rs),
            sum(r['s_status'] != 'ok' and r['g_status'] == 'ok' for r in rs),
            '%.2f' % statistics.median(ratios) if ratios else '-',
            '%.2f' % (ts / tg) if tg > 0 else '-', ts))
    out.append('(yes/no: agreement where both ran; ratios: wall time Stratagem / Gambit, '
               'process start-up included)')

    def listing(title, sel):
        out.append('')
        out.append('%s: %d' % (title, len(sel)))
        for r in sel:
            out.append('  %s [%s] S %s/%s (%ss)  G %s/%s (%ss)  %s' % (
                r['file'], r['method'], r['s_status'], r['s_count'], r['s_time'],
                r['g_status'], r['g_count'], r['g_time'], r['note']))
            out.append('      $ ' + r['s_cmd'])
            out.append('      $ ' + r['g_cmd'])
    listing('Disagreements', [r for r in rows if r['agree'] == 'no'])
    listing('Stratagem profiles that fail the regret check',
            [r for r in rows if r['s_check'] == 'FAIL' and r['agree'] != 'no'])
    listing('Gambit profiles that fail the regret check (for information)',
            [r for r in rows if r['g_check'] == 'FAIL' and r['agree'] != 'no'])
    listing('Stratagem failures where Gambit succeeded (non-zero exit, timeouts)',
            [r for r in rows if r['s_status'] != 'ok' and r['g_status'] == 'ok'])
    listing('Stratagem timeouts/crashes where Gambit also failed',
            [r for r in rows if r['s_status'] != 'ok' and r['g_status'] != 'ok'
             and not r['s_status'].startswith('exit')])
    listing('Much slower (S/G >= %g and S - G >= %gs)' % (slow_ratio, slow_min),
            [r for r in rows if r['s_status'] == 'ok' and r['g_status'] == 'ok'
             and float(r['s_time']) >= slow_ratio * float(r['g_time'])
             and float(r['s_time']) - float(r['g_time']) >= slow_min])
    both_ok = [r for r in rows if r['s_status'] == 'ok' and r['g_status'] == 'ok']
    slower = [r for r in both_ok if float(r['s_time']) > float(r['g_time'])]
    out.append('')
    out.append('Stratagem slower than Gambit on %d of %d runs where both answer' %
               (len(slower), len(both_ok)))
    listing('Slower by more than %gs' % slower_min,
            [r for r in slower if float(r['s_time']) - float(r['g_time']) > slower_min])
    both_fail = [r for r in rows if r['s_status'].startswith('exit')
                 and r['g_status'] not in ('ok', 'n.a.')]
    out.append('')
    out.append('both refuse (expected: imperfect recall, not applicable, ...): %d rows' %
               len(both_fail))
    out.append('Stratagem ok where Gambit fails: %d rows (%d with a regret-check failure)' % (
        sum(r['s_status'] == 'ok' and r['g_status'] not in ('ok', 'n.a.') for r in rows),
        sum(r['s_status'] == 'ok' and r['g_status'] not in ('ok', 'n.a.')
            and r['s_check'] == 'FAIL' for r in rows)))
    alone = [r for r in rows if r['g_status'] == 'n.a.']
    if alone:
        out.append('Stratagem alone (no Gambit tool): %d rows, %d ok, %d profiles checked, '
                   '%d fail the check, %d refused (e.g. absent-minded trees)' % (
                       len(alone), sum(r['s_status'] == 'ok' for r in alone),
                       sum(r['s_check'] == 'ok' for r in alone),
                       sum(r['s_check'] == 'FAIL' for r in alone),
                       sum(r['s_status'].startswith('exit') for r in alone)))
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--games', required=True)
    ap.add_argument('--gambit-bin', required=True)
    ap.add_argument('--stratagem', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--timeout', type=float, default=20)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--filter', default='')
    ap.add_argument('--slow-ratio', type=float, default=10)
    ap.add_argument('--slow-min', type=float, default=0.2)
    ap.add_argument('--slower-min', type=float, default=0.005,
                    help='list runs where Stratagem is slower by more than this (seconds)')
    ap.add_argument('--repeats', type=int, default=4,
                    help='extra timed runs (fastest kept) when both sides are fast')
    ap.add_argument('--retime-below', type=float, default=0.5,
                    help='re-time runs where both sides take less than this (seconds)')
    ap.add_argument('--summary-only', action='store_true', help='re-summarise results.tsv')
    ap.add_argument('-v', '--verbose', action='store_true')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tsv = os.path.join(a.out, 'results.tsv')
    if not a.summary_only:
        files = []
        for root, _, names in os.walk(a.games):
            for name in names:
                if name.endswith(('.nfg', '.efg')):
                    files.append(os.path.join(root, name))
        files.sort()
        if a.filter:
            files = [f for f in files if re.search(a.filter, os.path.relpath(f, a.games))]
        corpus = Corpus(a)
        for k, f in enumerate(files, 1):
            if a.verbose:
                print('[%d/%d] %s' % (k, len(files), f), file=sys.stderr, flush=True)
            corpus.run_file(f, os.path.relpath(f, a.games))
            write_tsv(corpus.rows, tsv)                          # partial results survive ^C
        write_tsv(corpus.rows, tsv)
    text = summary(read_tsv(tsv), a.slow_ratio, a.slow_min, a.slower_min)
    text += '\nload average: %s on %d cores' % (' '.join(open('/proc/loadavg').read().split()[:3]),
                                                os.cpu_count())
    with open(os.path.join(a.out, 'summary.txt'), 'w') as fh:
        fh.write(text + '\n')
    print(text)
    print('\nper-file results: %s' % tsv)


if __name__ == '__main__':
    main()
