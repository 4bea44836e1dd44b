#!/usr/bin/env bash
# Builds the in-repository layout of a held-out corpus: the labelled files at the same
# relative paths as the isolated layout (copied byte for byte and checked against the SHA-256 in
# provenance.tsv), plus, beside each labelled *migration*, the other files of its migrations
# directory as they are in its repository at the labelled file's commit. The extra files are
# unscored context: HeldOutScore scores only the files named in labels.tsv, and dbguard's front
# ends read the earlier ones for a column's previous type or a Django field's previous shape, as
# `dbguard lint <file>` does in a checkout of the project.
#
# Inputs (nothing is downloaded; third-party files are only read from local git mirrors):
#   HELDOUT_DIR      the isolated layout: the labelled files at their `file` paths (required)
#   HELDOUT_MIRRORS  directory of git mirrors, one per repository, named <owner>+<name>, each a git
#                    directory (bare, or a work tree with .git) at <owner>+<name>/repo (required)
#   HELDOUT_LABELS   directory holding provenance.tsv (default: core/src/test/resources/heldout;
#                    core/src/test/resources/heldout2 for the second set)
# Output: the directory given as the first argument (default /tmp/heldout-ctx); it is replaced.
#
# Which directory is "the migrations directory" of a labelled file, in the repository:
#   - a file named migration.sql / up.sql / down.sql (Prisma, one directory per migration) or one
#     whose directory is named like a version (0.13, v1.8: memos, temporal's versioned/) belongs to
#     the directory above: its files and the files of each of its sub-directories are taken;
#   - any other file (Rails db/migrate, Django <app>/migrations with __init__.py, golang-migrate,
#     goose, trilium, anki upgrades/): the files of its own directory (not sub-directories).
# The commit: the `commit` column; where it is empty, the first of HEAD and then the history of the
# path (newest first) whose file hashes to the recorded SHA-256 (also accepting the two documented
# differences: a final newline added, CRLF stored as LF). When the labelled files of one directory
# come from different commits, the directory is taken at the newest of them; every labelled file
# keeps its own bytes (a context file never replaces a labelled one).
#
# Usage: HELDOUT_DIR=/tmp/heldout-full HELDOUT_MIRRORS=/path/to/mirrors \
#          benchmarks/heldout-context.sh [/tmp/heldout-ctx]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${HELDOUT_DIR:?set HELDOUT_DIR to the isolated layout (the labelled files)}"
: "${HELDOUT_MIRRORS:?set HELDOUT_MIRRORS to the directory of <owner>+<name>/repo git mirrors}"
LABELS="${HELDOUT_LABELS:-core/src/test/resources/heldout}"
OUT="${1:-/tmp/heldout-ctx}"
PROV="$LABELS/provenance.tsv"
[ -f "$PROV" ] || { echo "no $PROV" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# writes the regular blobs of `git ls-tree` lines (stdin) under <out>, each at its path relative
# to <repodir>, keeping files already there; prints "<written> <kept>"
cat > "$WORK/blobs.py" << 'PY'
import os, subprocess, sys, threading
gd, repodir, out = sys.argv[1:4]
todo = []
seen = set()
kept = 0
for line in sys.stdin.read().splitlines():
    meta, path = line.split("\t", 1)
    mode, kind, obj = meta.split()
    if kind != "blob" or mode == "120000":
        continue
    target = os.path.join(out, os.path.relpath(path, repodir))
    if os.path.exists(target):
        kept += 1
        continue
    if target not in seen:  # listed twice (a directory and its parent's recursive listing)
        seen.add(target)
        todo.append((obj, target))
if todo:
    git = subprocess.Popen(["git", "--git-dir=" + gd, "cat-file", "--batch"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    def feed():  # on its own thread: git's output would fill the pipe before the input is sent
        git.stdin.write("".join(obj + "\n" for obj, _ in todo).encode())
        git.stdin.close()
    threading.Thread(target=feed, daemon=True).start()
    for obj, target in todo:
        header = git.stdout.readline().split()
        if header[1] == b"missing":  # a large file the mirror left out
            continue
        body = git.stdout.read(int(header[2]))
        git.stdout.read(1)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(body)
    git.wait()
print(len(todo), kept)
PY

sha() { sha256sum | cut -d' ' -f1; }
gitdir() {
  local gd="$HELDOUT_MIRRORS/${1/\//+}/repo"
  [ -d "$gd/.git" ] && gd="$gd/.git"
  [ -d "$gd" ] && echo "$gd"
}

# 1. the labelled files, byte for byte
fail=0
# an empty commit column becomes "-" so that `read` keeps the columns apart
tail -n +2 "$PROV" | awk -F'\t' -v OFS='\t' '{ if ($4 == "") $4 = "-"; print }' > "$WORK/prov"
while IFS=$'\t' read -r file repo path commit lic want; do
  mkdir -p "$OUT/$(dirname "$file")"
  if [ ! -f "$HELDOUT_DIR/$file" ]; then echo "MISSING $file" >&2; fail=1; continue; fi
  cp "$HELDOUT_DIR/$file" "$OUT/$file"
  if [ "$(sha < "$OUT/$file")" != "$want" ]; then echo "HASH DIFFERS $file" >&2; fail=1; fi
done < "$WORK/prov"
[ "$fail" = 0 ] || { echo "the isolated layout is not intact" >&2; exit 1; }

# 2. each labelled migration: its repository directory, the layout directory, the commit
: > "$WORK/groups"
nomirror=0
while IFS=$'\t' read -r file repo path commit lic want; do
  case "$file" in seeds/*) continue ;; esac
  gd="$(gitdir "$repo" || true)"
  if [ -z "$gd" ]; then
    echo "no mirror of $repo: $file gets no context" >&2
    nomirror=$((nomirror + 1))
    continue
  fi
  if [ "$commit" = "-" ]; then
    commit=""
    for c in HEAD $(git --git-dir="$gd" log --all --format=%H -- "$path"); do
      body="$(git --git-dir="$gd" show "$c:$path" 2> /dev/null | base64 -w0 || true)"
      [ -n "$body" ] || continue
      if [ "$(base64 -d <<< "$body" | sha)" = "$want" ] \
        || [ "$( (base64 -d <<< "$body"; echo) | sha)" = "$want" ] \
        || [ "$(base64 -d <<< "$body" | tr -d '\r' | sha)" = "$want" ]; then
        commit="$(git --git-dir="$gd" rev-parse "$c")"
        echo "$file: no commit recorded; the file's bytes are at ${commit:0:12}" >&2
        break
      fi
    done
    if [ -z "$commit" ]; then
      echo "no commit of $repo holds $path with the recorded hash: $file gets no context" >&2
      continue
    fi
  fi
  parent="$(basename "$(dirname "$path")")"
  case "$(basename "$path")" in
    migration.sql | up.sql | down.sql) depth=1 ;;
    *) if [[ "$parent" =~ ^v?[0-9]+(\.[0-9]+)+$ ]]; then depth=1; else depth=0; fi ;;
  esac
  if [ "$depth" = 1 ]; then
    repodir="$(dirname "$(dirname "$path")")"
    outdir="$(dirname "$(dirname "$file")")"
  else
    repodir="$(dirname "$path")"
    outdir="$(dirname "$file")"
  fi
  when="$(git --git-dir="$gd" log -1 --format=%ct "$commit")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$repo" "$repodir" "$outdir" "$depth" "$when" "$commit" "$file" >> "$WORK/groups"
done < "$WORK/prov"

# 3. per directory: the files at the newest commit among its labelled files
groups=0
multi=0
written=0
kept=0
while IFS=$'\t' read -r repo repodir outdir depth; do
  groups=$((groups + 1))
  gd="$(gitdir "$repo")"
  awk -F'\t' -v r="$repo" -v d="$repodir" '$1 == r && $2 == d' "$WORK/groups" > "$WORK/g"
  commit="$(sort -t$'\t' -k5,5n "$WORK/g" | tail -1 | cut -f6)"
  ncommits="$(cut -f6 "$WORK/g" | sort -u | wc -l)"
  if [ "$ncommits" -gt 1 ]; then
    multi=$((multi + 1))
    echo "$repo $repodir: labelled files from $ncommits commits; siblings taken at ${commit:0:12}" >&2
  fi
  if [ "$depth" = 1 ]; then
    # the directory's own files and those of each sub-directory (one level)
    git --git-dir="$gd" ls-tree "$commit" "$repodir/" | awk -F'\t' '$1 ~ / tree / { print $2 }' > "$WORK/dirs"
    { git --git-dir="$gd" ls-tree "$commit" "$repodir/"
      while read -r d; do git --git-dir="$gd" ls-tree "$commit" "$d/"; done < "$WORK/dirs"; } > "$WORK/entries"
  else
    git --git-dir="$gd" ls-tree "$commit" "$repodir/" > "$WORK/entries"
  fi
  # regular blobs only (no symbolic links, sub-modules or trees), all read by one
  # `git cat-file --batch` (a process per file is slow on long histories; `git archive` would
  # apply the repository's export-ignore and export-subst attributes)
  read -r w k < <(python3 "$WORK/blobs.py" "$gd" "$repodir" "$OUT/$outdir" < "$WORK/entries")
  written=$((written + w))
  kept=$((kept + k))
done < <(cut -f1-4 "$WORK/groups" | sort -u)

# 3b. each labelled Rails seed: what `dbguard seeds check` reads beside it in a checkout — the
# application's Ruby code (app/: its models for DBG301/DBG302, and the classes a seed hands its work
# to, e.g. app/services/*_seeder.rb; lib/) and the seed files it may load (db/seeds/, and the seed's
# own directory), at the seed's commit. Only where the layout keeps the
# repository path under the file's prefix (`seeds/<owner>__<repo>/<path>`).
seedctx=0
while IFS=$'\t' read -r file repo path commit lic want; do
  case "$file" in seeds/*.rb) ;; *) continue ;; esac
  [ "$commit" != "-" ] || continue
  case "$file" in */"$path") ;; *) continue ;; esac
  case "/$path" in */db/*) ;; *) continue ;; esac
  gd="$(gitdir "$repo" || true)"
  [ -n "$gd" ] || continue
  prefix="${file%"$path"}"
  root="/$path"; root="${root%%/db/*}"; root="${root#/}"; root="${root:+$root/}"
  { git --git-dir="$gd" ls-tree -r "$commit" -- "${root}app" "${root}lib" "${root}db/seeds"
    git --git-dir="$gd" ls-tree "$commit" "$(dirname "$path")/"; } > "$WORK/seedentries" || true
  read -r w k < <(awk -F'\t' '$2 ~ /\.rb$/' "$WORK/seedentries" | python3 "$WORK/blobs.py" "$gd" . "$OUT/$prefix")
  seedctx=$((seedctx + w))
done < "$WORK/prov"

# 3c. each labelled Python seed (a Django management command or a seed script): the project's
# Python modules at the seed's commit, as a checkout has them beside it — the functions a seed
# imports from its own project (`from ._utils import make_rows`) are read from there.
pyctx=0
while IFS=$'\t' read -r file repo path commit lic want; do
  case "$file" in seeds/*.py) ;; *) continue ;; esac
  [ "$commit" != "-" ] || continue
  case "$file" in */"$path") ;; *) continue ;; esac
  gd="$(gitdir "$repo" || true)"
  [ -n "$gd" ] || continue
  prefix="${file%"$path"}"
  # the commit's Python files, all read by one `git cat-file --batch`; files already in place
  # (the labelled ones, other context) are kept
  read -r n k < <(git --git-dir="$gd" ls-tree -r "$commit" | awk -F'\t' '$2 ~ /\.py$/' \
    | python3 "$WORK/blobs.py" "$gd" . "$OUT/$prefix")
  pyctx=$((pyctx + n))
done < "$WORK/prov"

# 4. the labelled files are still the recorded bytes
while IFS=$'\t' read -r file repo path commit lic want; do
  if [ "$(sha < "$OUT/$file")" != "$want" ]; then echo "HASH DIFFERS after context: $file" >&2; exit 1; fi
done < "$WORK/prov"
echo "labelled files: $(wc -l < "$WORK/prov") (byte-identical); migrations with context: $(wc -l < "$WORK/groups"); without a mirror: $nomirror"
echo "directories: $groups ($multi with labelled files from more than one commit)"
echo "context files written: $written; labelled files kept in place of the directory's version: $kept"
echo "Rails seed context files (app/, lib/, db/seeds): $seedctx"
echo "Python seed context files (the project's modules): $pyctx"
echo "layout: $OUT"
