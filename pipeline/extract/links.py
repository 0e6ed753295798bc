"""Links: spaCy DependencyMatcher patterns asked about one token instead of a whole Doc.

The counting component finds what a number counts by climbing from it towards the root
of its sentence; at each head it asks which construction links them ('killed 12
soldiers', 'left 30 dead', 'taken into custody', 'the death toll rose to 57'). Each
construction is a DependencyMatcher pattern with an ``id`` (``counting.jsonl``), so an
analyst adds one without Python, and spaCy validates every pattern when it is loaded.

What differs from ``DependencyMatcher(doc)`` is only where matching starts: a pattern's
first node, ``head``, is the token asked about, and a node named ``below``, a child of
``head``, is the token the climb came from (left out where there is none, as at a verb's
own fate).
Matching the whole Doc with every pattern would cost a few milliseconds an article (spaCy
tests each node's attributes on every token); asked about one token it costs microseconds.

Node attributes are spaCy's: ``LEMMA``, ``LOWER``, ``POS``, ``TAG``, ``DEP``, ``ENT_TYPE``,
``ORTH``, equal to a value or ``IN`` / ``NOT_IN`` a list, and extension attributes under
``_`` (the triggers component's ``trigger``, ``is_trigger``, ``fatal``, ``names``; and
``lower_lemma``, the lemma in lower case: the model keeps a proper noun's case, 'Custody' in
a headline). In an ``IN`` list, ``"@name"`` stands for the words of that list of the
component's rules. Relations: ``>`` child, ``<`` head, ``>>`` descendant, ``<<`` ancestor.
"""

from dataclasses import dataclass
from itertools import chain

from spacy.matcher import DependencyMatcher
from spacy.tokens import Token

if not Token.has_extension("lower_lemma"):
    Token.set_extension("lower_lemma", getter=lambda token: token.lemma_.lower())

HEAD, BELOW = "head", "below"
_ATTRIBUTES = {
    "LEMMA": lambda t: t.lemma_, "LOWER": lambda t: t.lower_, "POS": lambda t: t.pos_, "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_, "ENT_TYPE": lambda t: t.ent_type_, "ORTH": lambda t: t.text, "TEXT": lambda t: t.text,
}
_RELATIONS = {
    ">": lambda t: t.children,
    "<": lambda t: () if t.head.i == t.i else (t.head,),
    ">>": lambda t: (d for d in t.subtree if d.i != t.i),
    "<<": lambda t: t.ancestors,
}


def expand(pattern: list[dict], words: dict[str, list]) -> list[dict]:
    """The pattern with each ``"@name"`` of an ``IN`` / ``NOT_IN`` list replaced by the words of ``words[name]``."""
    def values(items: list) -> list:
        return list(chain.from_iterable(words[item[1:]] if isinstance(item, str) and item.startswith("@") else [item]
                                        for item in items))

    def spec(attrs: dict) -> dict:
        return {key: spec(value) if key == "_" else {op: values(v) if op in ("IN", "NOT_IN") else v for op, v in value.items()}
                if isinstance(value, dict) else value for key, value in attrs.items()}

    return [{**node, "RIGHT_ATTRS": spec(node["RIGHT_ATTRS"])} for node in pattern]


def _predicate(get, wanted):
    """A test of one attribute with spaCy's Matcher semantics: equal to a value, or IN / NOT_IN
    a list (neither holds for an unset extension)."""
    if not isinstance(wanted, dict):
        return lambda token: get(token) == wanted
    unknown = set(wanted) - {"IN", "NOT_IN"}
    if unknown:
        raise ValueError(f"links test attributes by value, IN and NOT_IN, not {sorted(unknown)}")
    inside, outside = frozenset(wanted.get("IN", ())), frozenset(wanted.get("NOT_IN", ()))
    has_in, has_out = "IN" in wanted, "NOT_IN" in wanted

    def holds(token) -> bool:
        value = get(token)
        if not isinstance(value, (str, int)):
            return False
        return (not has_in or value in inside) and (not has_out or value not in outside)
    return holds


@dataclass(frozen=True)
class _Node:
    name: str
    left: int  # index of the node it is related to (-1 for head)
    relation: str
    tests: tuple  # predicates on a token

    def holds(self, token: Token) -> bool:
        for test in self.tests:
            if not test(token):
                return False
        return True


@dataclass(frozen=True)
class Link:
    """One construction: its pattern compiled, and what a match of it gives.

    ``unless`` are nodes more (in the same form, related to the pattern's nodes) that must
    not be found: DependencyMatcher has no negation ('a joined passive verb with no subject
    of its own')."""

    id: str
    nodes: tuple[_Node, ...]
    unless: tuple[_Node, ...]
    metric: str | None  # the metric it gives, else that of the token matched as ``metric_from``
    metric_from: str | None
    metric_by: str  # which mark of that token: its trigger, or the metric its lemma names
    when_harmed: bool  # used only where the fate harms its subject

    def matches(self, head: Token, below: Token | None) -> list[dict[str, Token]]:
        """Every way the pattern matches with ``head`` as its head and ``below`` as the token climbed from."""
        if not self.nodes[0].holds(head):
            return []
        found: list[dict[str, Token]] = []
        for assigned in self._assign(self.nodes, [head], below):
            if not self.unless or not any(self._assign(self.nodes + self.unless, assigned, below)):
                found.append({node.name: token for node, token in zip(self.nodes, assigned) if token is not None})
        return found

    def _assign(self, nodes: tuple[_Node, ...], assigned: list, below: Token | None):
        """Every completion of ``assigned`` (tokens of the first nodes) to all of ``nodes``."""
        k = len(assigned)
        if k == len(nodes):
            yield list(assigned)
            return
        node = nodes[k]
        if node.name == BELOW and below is None:
            yield from self._assign(nodes, [*assigned, None], below)
            return
        for token in _RELATIONS[node.relation](assigned[node.left]):
            if node.name == BELOW and token.i != below.i:
                continue
            if node.holds(token):
                yield from self._assign(nodes, [*assigned, token], below)


@dataclass(frozen=True)
class Step:
    """Links tried together at one token. Their matches are ranked by the positions of the
    ``order`` nodes (the first child in the sentence wins), then by the link's place in the
    step, then by the positions of their other nodes."""

    links: tuple[Link, ...]
    stop: bool = False  # a match ends the search with nothing
    order: tuple[str, ...] = ()
    harmed: tuple = ()  # tests on the head: its subject is one of the people its fate harms

    def matches(self, head: Token, below: Token | None = None, harmed: bool = False) -> list[tuple[Link, dict[str, Token]]]:
        found = [(k, link, match) for k, link in enumerate(self.links) if harmed or not link.when_harmed
                 for match in link.matches(head, below)]
        found.sort(key=lambda f: (*(f[2][n].i if n in f[2] else -1 for n in self.order), f[0], *(t.i for t in f[2].values())))
        return [(link, match) for _, link, match in found]

    def harms_subject(self, head: Token) -> bool:
        return bool(self.harmed) and all(test(head) for test in self.harmed)


def first_match(steps: list[Step], head: Token, below: Token | None = None) -> tuple[Step, Link, dict[str, Token]] | None:
    """The first match of the first step that has one: it decides (a stop's, that nothing does)."""
    for step in steps:
        found = step.matches(head, below)
        if found:
            return (step, *found[0])
    return None


class Links:
    """The link patterns of a component, by id, validated by spaCy's DependencyMatcher."""

    def __init__(self, vocab, entries: list[dict], words: dict[str, list]):
        validator = DependencyMatcher(vocab, validate=True)
        self.links: dict[str, Link] = {}
        for entry in entries:
            pattern, unless = expand(entry["pattern"], words), expand(entry.get("unless", []), words)
            validator.add(entry["id"], [pattern])  # raises on what spaCy would not match
            if unless:
                validator.add(f"{entry['id']}.unless", [pattern + unless])
            self.links[entry["id"]] = _compile(entry, pattern, unless)

    def __getitem__(self, link_id: str) -> Link:
        return self.links[link_id]

    def steps(self, specs: list[dict], words: dict[str, list]) -> list[Step]:
        """Steps from their rules: ``{"link": [ids]}`` or ``{"stop": [ids]}``, with ``order`` and ``harmed`` if any."""
        return [Step(tuple(self[i] for i in spec.get("link", spec.get("stop", ()))), "stop" in spec, tuple(spec.get("order", ())),
                     _tests("step", expand([{"RIGHT_ID": HEAD, "RIGHT_ATTRS": spec["harmed"]}], words)[0]["RIGHT_ATTRS"])
                     if "harmed" in spec else ()) for spec in specs]


def _extension(name: str):
    """The value of a token's extension attribute, by its getter where it has one (the
    ``token._`` object costs more than the lookup)."""
    def value(token: Token):
        found = Token.get_extension(name)
        getter = found[2] if found else None
        return getter(token) if getter else token._.get(name)
    return value


def _tests(link_id: str, attrs: dict) -> tuple:
    tests = []
    for key, wanted in attrs.items():
        if key == "_":
            tests += [_predicate(_extension(name), value) for name, value in wanted.items()]
        elif key in _ATTRIBUTES:
            tests.append(_predicate(_ATTRIBUTES[key], wanted))
        else:
            raise ValueError(f"link {link_id}: attribute {key} is not one links match on ({', '.join(_ATTRIBUTES)}, _)")
    return tuple(tests)


def _compile(entry: dict, pattern: list[dict], unless: list[dict]) -> Link:
    link_id, all_nodes = entry["id"], pattern + unless
    names = [node["RIGHT_ID"] for node in all_nodes]
    if names[0] != HEAD:
        raise ValueError(f"link {link_id}: the first node must be {HEAD!r}, not {names[0]!r}")
    nodes = []
    for node in all_nodes:
        relation = node.get("REL_OP", "")
        if relation and relation not in _RELATIONS:
            raise ValueError(f"link {link_id}: relation {relation!r} is not one links follow ({', '.join(_RELATIONS)})")
        if node["RIGHT_ID"] == BELOW and (node.get("LEFT_ID") != HEAD or relation != ">"):
            raise ValueError(f"link {link_id}: {BELOW!r} is a child of {HEAD!r}")
        if node.get("LEFT_ID") == BELOW:
            raise ValueError(f"link {link_id}: no node hangs on {BELOW!r} (it is left out where there is no climb)")
        nodes.append(_Node(node["RIGHT_ID"], names.index(node["LEFT_ID"]) if "LEFT_ID" in node else -1, relation,
                           _tests(link_id, node["RIGHT_ATTRS"])))
    return Link(link_id, tuple(nodes[:len(pattern)]), tuple(nodes[len(pattern):]), entry.get("metric"), entry.get("metric_from"),
                entry.get("metric_by", "trigger"), entry.get("when_harmed", False))
