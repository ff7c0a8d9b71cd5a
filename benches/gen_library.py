#!/usr/bin/env python3
"""Generate a library of realistic guides for the scale measurements.

    python3 benches/gen_library.py DIR [COUNT]     (COUNT defaults to 10000)

Each guide is shaped like the bundled AADSTS50143 guide (about the same size: 3 steps with 3-4
answers, 3 issues, 5 resolutions, notes, a link and a 3-field ticket), with its own id
(AADSTS + number), title, tags and texts, so parsing, indexing and fuzzy search do real work.
Deterministic: the same COUNT gives the same files.
"""
import os
import random
import sys

WORDS = ("session token tenant domain hint resource consent account password device policy "
         "conditional access federation certificate redirect application secret scope claim "
         "issuer audience signature expired invalid missing blocked mismatch timeout proxy "
         "guest external user admin mfa registration compliance location network").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def guide(i, rng):
    code = 50000 + i
    gid = f"AADSTS{code}"
    title = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
    tags = sorted(set(rng.choice(WORDS) for _ in range(4)))
    issues = [f"issue-{k}" for k in range(3)]
    res = [f"fix-{k}" for k in range(4)] + ["open-support-ticket"]
    out = [f'format = 1\nid = "{gid}"\ntitle = "{title}"\nsummary = "{sentence(rng, 18)}"\n'
           f'revision = "1"\naliases = ["{code}"]\ntags = {tags!r}\n'.replace("'", '"')]
    out.append(f'\n[[link]]\ntitle = "Error codes"\nurl = "https://learn.microsoft.com/entra/{code}"\n')
    for k in range(2):
        out.append(f'\n[[note]]\ntitle = "Note {k}"\ntext = "{sentence(rng, 14)}"\n')
    for s in range(3):
        nxt = f'\nnext = "issues"' if s == 2 else ""
        answers = ",\n".join(
            f'  {{ label = "{sentence(rng, 6)}", suspect = ["{rng.choice(issues)}"] }}' for _ in range(3))
        out.append(f'\n[[step]]\nid = "step-{s}"\ntitle = "{sentence(rng, 4)}"\ntext = "{sentence(rng, 16)}"\n'
                   f'ask = "{sentence(rng, 8)[:-1]}?"{nxt}\nanswers = [\n{answers},\n  {{ label = "Not known yet" }},\n]\n')
    for k, iid in enumerate(issues):
        fixes = sorted(set([res[k], rng.choice(res[:4])]))
        out.append(f'\n[[issue]]\nid = "{iid}"\ntitle = "{sentence(rng, 3)[:-1]} {k}"\ntext = "{sentence(rng, 12)}"\n'
                   f'fixes = {fixes!r}\n'.replace("'", '"'))
    for k, rid in enumerate(res):
        esc = "\nescalate = true" if rid == "open-support-ticket" else ""
        out.append(f'\n[[resolution]]\nid = "{rid}"\ntitle = "{sentence(rng, 3)[:-1]} {k}"{esc}\n'
                   f'tasks = ["{sentence(rng, 12)}", "{sentence(rng, 10)}"]\n')
    out.append('\n[ticket]\ntemplate = """\nCorrelation ID: {correlation_id}\nRequest ID: {request_id}\n'
               'Error Code: {error_code}\n"""\n')
    for fid, label, kind in (("correlation_id", "Correlation ID", "guid"), ("request_id", "Request ID", "guid")):
        out.append(f'\n[[ticket.field]]\nid = "{fid}"\nlabel = "{label}"\nkind = "{kind}"\nrequired = true\n')
    out.append(f'\n[[ticket.field]]\nid = "error_code"\nlabel = "Error Code"\nkind = "error-code"\n'
               f'required = true\ndefault = "{gid}"\n')
    return gid, "".join(out)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    os.makedirs(d, exist_ok=True)
    rng = random.Random(50143)
    for i in range(n):
        gid, text = guide(i, rng)
        with open(os.path.join(d, f"{gid.lower()}.toml"), "w") as f:
            f.write(text)
    print(f"wrote {n} guides to {d}")


if __name__ == "__main__":
    main()
