#!/usr/bin/env bash
# Run a local single-node Elasticsearch 8.19 for the search tests and dev.
# The only registry with an ES build is Maven Central, which carries the
# minimal `integ-test-zip` distribution (no bundled JDK, few modules), so we
# fetch that with mvn and run it on the machine's JDK.
# CAVEAT: that zip lacks the analysis-common module, so ngram/edge_ngram
# tokenizers and filters, asciifolding and cjk_* are unknown here; index
# settings must stick to standard/simple/whitespace/keyword + lowercase/stop.
#   scripts/elasticsearch.sh         start (no-op if something answers on ES_PORT)
#   scripts/elasticsearch.sh stop    stop the instance this script started
set -euo pipefail

ES_VERSION=8.19.7
ES_PORT=${ES_PORT:-9200}
# As root the server runs as a system user, so keep it out of /root (mode 700).
if [ "$(id -u)" -eq 0 ]; then DEFAULT_CACHE=/var/cache/jiyuan-portal/elasticsearch
else DEFAULT_CACHE=$HOME/.cache/jiyuan-portal/elasticsearch; fi
CACHE=${ES_CACHE_DIR:-$DEFAULT_CACHE}
ES_HOME=$CACHE/elasticsearch-$ES_VERSION
PIDFILE=$CACHE/es-$ES_PORT.pid
URL=http://127.0.0.1:$ES_PORT
ES_USER=elasticsearch

# ES deletes its own pidfile on exit, so read the pid once.
pid_alive() { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE" 2>/dev/null)" 2>/dev/null; }

if [ "${1:-start}" = stop ]; then
  if pid_alive; then
    pid=$(cat "$PIDFILE")
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    echo "Elasticsearch stopped"
  else
    echo "Elasticsearch not running (no live pid in $PIDFILE)"
  fi
  rm -f "$PIDFILE"
  exit 0
fi

# Probe /_cluster/health, not "/": this distribution lacks the rest-root
# module, so `GET /` answers 405 (and so does the Python client's info()/ping()).
answers() { curl -fsS -m 5 "$URL/_cluster/health" >/dev/null 2>&1; }

# Serialize concurrent starts (a second node would fail on the data-dir lock
# and, on exit, delete the first one's pidfile).
mkdir -p "$CACHE"
exec 9>"$CACHE/start.lock"
flock 9

# A node of ours that is still booting: don't start another, just wait.
if ! answers && ! pid_alive; then
  ZIP=$CACHE/elasticsearch-$ES_VERSION.zip
  if [ ! -s "$ZIP" ]; then
    mvn -q -B -Dstyle.color=never dependency:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$CACHE" >"$CACHE/mvn.log" 2>&1 ||
      { cat "$CACHE/mvn.log" >&2; exit 1; }
  fi
  if [ ! -x "$ES_HOME/bin/elasticsearch" ]; then
    rm -rf "$ES_HOME.tmp" && mkdir -p "$ES_HOME.tmp"
    unzip -q "$ZIP" -d "$ES_HOME.tmp"
    mv "$ES_HOME.tmp/elasticsearch-$ES_VERSION" "$ES_HOME" && rmdir "$ES_HOME.tmp"
  fi
  mkdir -p "$CACHE/data" "$CACHE/logs"

  # No bundled JDK in this distribution: point it at the JDK behind `java`.
  if [ -z "${ES_JAVA_HOME:-}" ]; then
    ES_JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  export ES_JAVA_HOME
  export ES_JAVA_OPTS=${ES_JAVA_OPTS:--Xms512m -Xmx512m}

  # ES refuses to run as root, so as root we run it as a system user.
  RUN=()
  if [ "$(id -u)" -eq 0 ]; then
    id "$ES_USER" >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
    chown -R "$ES_USER:" "$CACHE"
    RUN=(runuser -u "$ES_USER" --)
  fi

  # -d daemonizes and returns once the node has started (or failed to).
  # disk.threshold_enabled=false: a nearly full dev disk must not make every
  # index read-only mid-test.
  "${RUN[@]}" env ES_JAVA_HOME="$ES_JAVA_HOME" ES_JAVA_OPTS="$ES_JAVA_OPTS" \
    "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE" \
    -E discovery.type=single-node \
    -E network.host=127.0.0.1 \
    -E http.port="$ES_PORT" \
    -E xpack.security.enabled=false \
    -E cluster.routing.allocation.disk.threshold_enabled=false \
    -E path.data="$CACHE/data" \
    -E path.logs="$CACHE/logs" \
    >"$CACHE/logs/startup.log" 2>&1 9>&- ||
    { tail -n 30 "$CACHE/logs/startup.log" >&2; echo "Elasticsearch failed to start; see $CACHE/logs" >&2; exit 1; }
fi

# Wait for yellow (a single node never gets replicas assigned, so never green
# for indices with replicas).
for _ in $(seq 1 120); do
  if curl -fsS -m 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
    echo "ELASTICSEARCH_URL=$URL"
    exit 0
  fi
  sleep 1
done
echo "Elasticsearch on $URL did not reach yellow within 120 s; see $CACHE/logs" >&2
exit 1
