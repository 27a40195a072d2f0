"""YAML front matter, loaded so that no file can exhaust the machine or surprise the reader.

The loader is the safe one (no Python objects), keeps values that look like
dates as text, and refuses front matter whose aliases would expand past a
budget: a 500-byte "billion laughs" is refused in milliseconds.
"""

from __future__ import annotations

import yaml

from pipeline.files import IngestError
from pipeline.resources import YAML_LOADER

# Nodes front matter may hold once its aliases are expanded: real front matter holds a few
# dozen; a YAML alias bomb of 500 bytes holds billions.
MAX_FRONT_MATTER_NODES = 10_000


class FrontMatterLoader(YAML_LOADER):
    """The safe loader, with every value that looks like a date kept as the text it is:
    "2016-13-01" is no error, and "2016-03-01" is read by the date tagger like any date."""

    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in YAML_LOADER.yaml_implicit_resolvers.items()
    }


def load_front_matter(text: str) -> dict:
    """The front matter as a mapping. Its node graph is read first, with aliases as shared
    nodes, and refused when expanding them would exceed ``MAX_FRONT_MATTER_NODES``."""
    loader = FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_FRONT_MATTER_NODES:
            raise IngestError(
                f"front matter too large (over {MAX_FRONT_MATTER_NODES} values with aliases expanded)"
            )
        front = loader.construct_document(node) if node is not None else {}
    except IngestError:
        raise
    except (yaml.YAMLError, ValueError, TypeError) as err:  # a tagged value that fails ("!!float abc")
        raise IngestError(f"malformed YAML front matter ({str(err).splitlines()[0]})") from err
    except RecursionError as err:
        raise IngestError("malformed YAML front matter (nested too deeply)") from err
    finally:
        loader.dispose()
    if not isinstance(front, dict):
        raise IngestError("malformed YAML front matter (not a mapping)")
    return front


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Values under ``node`` with every alias expanded, counted once per shared node and
    capped just above the limit, so a bomb costs as little as its text."""
    if id(node) in sizes:
        return sizes[id(node)]
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    else:
        children = []
    sizes[id(node)] = MAX_FRONT_MATTER_NODES + 1  # a node that holds itself
    total = 1
    for child in children:
        total = min(total + _expanded_size(child, sizes), MAX_FRONT_MATTER_NODES + 1)
    sizes[id(node)] = total
    return total
