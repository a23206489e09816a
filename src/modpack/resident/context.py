"""Whether a caller's process sees the system as the server does.

The same user id is not the same view: a process of this user may run in a container or another
mount namespace (a private /tmp, a folder bound read-only), under a chroot, with other groups, fewer
capabilities, no_new_privs or a seccomp filter. A command the server ran for it would escape all of
that, and read and write with the server's view; so such a caller is declined, and its command runs
in its own process. What is compared is read from /proc (Linux, where SO_PEERCRED gives the caller's
process id). Not compared, because /proc does not show them: which seccomp filters (only how
many), and Landlock rules; nor control groups (docs/security.md says why).
"""

from __future__ import annotations

import os

# the lines of /proc/PID/status that make a process's rights beyond its user id
_RIGHTS = ("Uid", "Gid", "Groups", "NoNewPrivs", "Seccomp", "Seccomp_filters", "CapInh", "CapPrm", "CapEff",
           "CapBnd", "CapAmb")


def _namespaces(pid: int | str) -> dict[str, str]:
    folder = f"/proc/{pid}/ns"
    return {name: os.readlink(f"{folder}/{name}") for name in os.listdir(folder)
            if not name.endswith("_for_children")}  # what its children would get, not what it has


def _rights(pid: int | str) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as status:
        fields = dict(line.rstrip("\n").split(":", 1) for line in status if ":" in line)
    rights = {name: fields.get(name, "").strip() for name in _RIGHTS}
    # the groups a process has: its list, and its file-system group whether listed or not (su and
    # sudo list it, a container's runtime may not: the same rights either way)
    group_ids = rights["Groups"].split() + rights["Gid"].split()[-1:]
    rights["Groups"] = " ".join(sorted(set(group_ids)))
    return rights


def _security_label(pid: int | str) -> str:
    """The process's SELinux or AppArmor label, '' where there is none."""
    try:
        with open(f"/proc/{pid}/attr/current", "rb") as label:
            return label.read(4096).rstrip(b"\0\n").decode("utf-8", "replace")
    except OSError:
        return ""


def _root(pid: int | str) -> tuple[int, int]:
    info = os.stat(f"/proc/{pid}/root")
    return info.st_dev, info.st_ino


def foreign(pid: int) -> str | None:
    """Why the process ``pid`` does not see the system as this one does, or None when it does.
    Anything that cannot be read counts as different: the caller is then simply served at home."""
    try:
        own, theirs = _namespaces("self"), _namespaces(pid)
        for name in sorted(own.keys() | theirs.keys()):
            if own.get(name) != theirs.get(name):
                return f"the caller runs in another {name} namespace"
        if _root(pid) != _root("self"):
            return "the caller runs under another root folder"
        own_rights, their_rights = _rights("self"), _rights(pid)
        for name in _RIGHTS:
            if own_rights[name] != their_rights[name]:
                return f"the caller's {name} differs from the server's"
        if _security_label(pid) != _security_label("self"):
            return "the caller has another security label"
    except OSError as exc:
        return f"the caller's process cannot be compared with the server's ({exc.strerror or exc})"
    return None
