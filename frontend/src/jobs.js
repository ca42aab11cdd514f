// Lab page and job page: editor, Run/Cancel, live stream of a job into the chart.
import { MetricsChart } from "./chart.js";
import { createEditor } from "./editor.js";

const FINAL = new Set(["succeeded", "failed", "cancelled", "timed_out", "out_of_memory", "lost"]);

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function api(path, { method = "GET", body } = {}) {
  const response = await fetch(`/api/${path}`, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new Error(data?.detail || Object.values(data || {}).flat().join(" ") || `request failed (${response.status})`);
  return data;
}

// One job's live view: a websocket fed into the chart, deduplicated by sequence number.
export class JobStream {
  constructor(panel, jobUuid, { onStatus } = {}) {
    this.panel = panel;
    this.job = jobUuid;
    this.onStatus = onStatus;
    this.chart = new MetricsChart(panel.querySelector("[data-role=chart]"));
    this.lastSeq = 0;
    this.status = null;
    this.closed = false;
    this.retries = 0;
    this.startedAt = null;
    this.queue = Promise.resolve();
    this.timer = setInterval(() => this.tick(), 1000);
    this.connect();
  }

  part(role) {
    return this.panel.querySelector(`[data-role=${role}]`);
  }

  connect() {
    const url = `${location.origin.replace(/^http/, "ws")}/ws/jobs/${this.job}/`;
    const ws = new WebSocket(url);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.retries = 0;
      if (this.lastSeq > 0) ws.send(JSON.stringify({ type: "resume", after: this.lastSeq }));
    };
    // Handle messages strictly in order: chart updates are asynchronous.
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      this.queue = this.queue.then(() => this.handle(msg)).catch((err) => console.error(err));
    };
    ws.onclose = (e) => {
      this.panel.dataset.lastClose = String(e.code);
      if (this.closed || e.code === 4404) {
        if (e.code === 4404) this.part("message").textContent = "This run is not available.";
        return;
      }
      if (FINAL.has(this.status) && opened) return;
      const delay = Math.min(10000, 500 * 2 ** this.retries++);
      setTimeout(() => this.connect(), delay);
    };
  }

  async handle(msg) {
    if (msg.type === "backlog" || msg.type === "metrics") {
      const fresh = msg.points.filter((p) => p.seq > this.lastSeq);
      if (fresh.length) {
        this.lastSeq = Math.max(this.lastSeq, fresh[fresh.length - 1].seq);
        await this.chart.addPoints(fresh);
      }
      this.panel.dataset.points = String(this.chart.points);
    } else if (msg.type === "job.status") {
      this.showStatus(msg);
    } else if (msg.type === "log") {
      this.appendLog(msg.lines);
    }
  }

  showStatus(msg) {
    this.status = msg.status;
    this.panel.dataset.status = msg.status;
    const pill = this.part("status");
    pill.textContent = msg.label;
    pill.className = `status-pill status-${msg.status}`;
    this.part("message").textContent = msg.message || (msg.status === "queued" ? "Waiting for a worker…" : msg.status === "running" ? "Running…" : "");
    const queue = this.part("queue");
    queue.hidden = msg.queue_position == null;
    if (msg.queue_position != null) queue.textContent = msg.queue_position === 0 ? "next in queue" : `${msg.queue_position} ahead in queue`;
    if (msg.elapsed != null) this.startedAt = Date.now() - msg.elapsed * 1000;
    this.renderElapsed(msg.elapsed);
    const cancel = this.part("cancel");
    cancel.hidden = FINAL.has(msg.status) || this.panel.dataset.canCancel === "false";
    if (FINAL.has(msg.status)) {
      this.showGrade(msg);
      api(`jobs/${this.job}/logs/`).then((d) => { if (d.log) this.part("log").textContent = d.log; }).catch(() => {});
    }
    this.onStatus?.(msg);
  }

  renderElapsed(seconds) {
    if (seconds == null) return;
    this.part("elapsed").textContent = `${seconds.toFixed(0)} s`;
  }

  tick() {
    if (this.status === "running" && this.startedAt) this.renderElapsed((Date.now() - this.startedAt) / 1000);
  }

  showGrade(msg) {
    const box = this.part("grade");
    if (!msg.checks || !msg.checks.length) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    this.part("score").textContent = `— ${msg.score ?? 0} / ${msg.max_score ?? 0}`;
    const list = this.part("checks");
    list.replaceChildren(
      ...msg.checks.map((check) => {
        const item = document.createElement("li");
        item.className = check.passed ? "check-passed" : "check-failed";
        const title = document.createElement("strong");
        title.textContent = `${check.passed ? "✓" : "✗"} ${check.title}`;
        item.append(title);
        if (check.message) {
          const detail = document.createElement("p");
          detail.textContent = check.message;
          item.append(detail);
        }
        return item;
      }),
    );
  }

  appendLog(lines) {
    const pre = this.part("log");
    // Text only: log lines are never HTML.
    pre.textContent = (pre.textContent + lines.join("\n") + "\n").slice(-20000);
    pre.scrollTop = pre.scrollHeight;
  }

  async cancel() {
    await api(`jobs/${this.job}/cancel/`, { method: "POST" });
  }

  close() {
    this.closed = true;
    clearInterval(this.timer);
    this.ws?.close();
  }
}

function historyItem(run, onToggle) {
  const item = document.createElement("li");
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.addEventListener("change", () => onToggle(run, box.checked));
  const text = document.createElement("span");
  const when = new Date(run.created).toLocaleString();
  const score = run.max_score ? ` · ${run.score}/${run.max_score}` : "";
  text.textContent = ` ${when} · ${run.mode} · ${run.label}${score}`;
  label.append(box, text);
  const link = document.createElement("a");
  link.href = `/jobs/${run.uuid}/`;
  link.textContent = "open";
  item.append(label, " ", link);
  return item;
}

export function startLabPage(root, config) {
  const panel = root.querySelector("[data-testid=run-panel]");
  const textarea = root.querySelector("[data-role=code]");
  const editor = createEditor(textarea);
  const error = root.querySelector("[data-role=error]");
  const saveState = root.querySelector("[data-role=save-state]");
  let stream = null;
  const runButtons = [root.querySelector("[data-role=run]"), root.querySelector("[data-role=run-smoke]")];

  const setRunning = (running) => runButtons.forEach((b) => { b.disabled = running; });
  const watch = (uuid) => {
    stream?.close();
    panel.querySelector("[data-role=chart]").replaceChildren();
    panel.querySelector("[data-role=log]").textContent = "";
    panel.querySelector("[data-role=grade]").hidden = true;
    panel.querySelector("[data-role=message]").textContent = "";
    delete panel.dataset.status;
    panel.dataset.points = "0";
    stream = new JobStream(panel, uuid, { onStatus: (msg) => setRunning(!FINAL.has(msg.status)) });
    window.__jobStream = stream;
  };

  let saveTimer = null;
  editor.onChange(() => {
    saveState.textContent = "Unsaved changes";
    clearTimeout(saveTimer);
    saveTimer = setTimeout(async () => {
      try {
        await api(`labs/${config.lab}/draft/`, { method: "PUT", body: { code: editor.value() } });
        saveState.textContent = "Draft saved";
      } catch (e) {
        saveState.textContent = `Not saved: ${e.message}`;
      }
    }, 800);
  });

  const run = async (mode) => {
    error.textContent = "";
    setRunning(true);
    try {
      const job = await api("jobs/", { method: "POST", body: { lab: config.lab, code: editor.value(), mode } });
      watch(job.uuid);
      history.replaceState(null, "", `?job=${job.uuid}`);
    } catch (e) {
      error.textContent = e.message;
      setRunning(false);
    }
  };
  runButtons[0].addEventListener("click", () => run("full"));
  runButtons[1].addEventListener("click", () => run("smoke"));
  root.querySelector("[data-role=cancel]").addEventListener("click", () => stream?.cancel().catch((e) => { error.textContent = e.message; }));
  root.querySelector("[data-role=reset]").addEventListener("click", () => {
    if (confirm("Replace your code with the starter code?")) editor.setValue(config.starter);
  });

  const list = root.querySelector("[data-role=history]");
  const overlay = async (run, on) => {
    if (!stream) return;
    const prefix = `run ${run.uuid.slice(0, 6)}: `;
    if (!on) return stream.chart.removePrefix(prefix);
    const data = await api(`jobs/${run.uuid}/metrics/?max_points=2000`);
    await stream.chart.addPoints(data.points, { prefix, dash: "dot" });
  };
  list.replaceChildren(...config.history.map((r) => historyItem(r, overlay)));

  const requested = new URLSearchParams(location.search).get("job");
  if (requested || config.job) watch(requested || config.job);
}

export function startJobPage(root, config) {
  const panel = root.querySelector("[data-testid=run-panel]");
  panel.dataset.canCancel = String(Boolean(config.can_cancel));
  const stream = new JobStream(panel, config.job);
  window.__jobStream = stream;
  root.querySelector("[data-role=cancel]").addEventListener("click", () => stream.cancel());
}
