// The server as the console reads it. The admin token lives in this tab's
// sessionStorage and travels only as an Authorization: Bearer header: never
// in a URL, never in a cookie (credentials: "omit").

const TOKEN_KEY = "vigil.admin_token";
const ADMIN = "/api/v1/admin";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (value) => sessionStorage.setItem(TOKEN_KEY, value);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

async function request(method, url, { body, admin = true } = {}) {
  const headers = {};
  if (admin) headers.Authorization = `Bearer ${token() || ""}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
    redirect: "error",
  });
  return response;
}

async function json(response) {
  const type = response.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await response.json() : null;
  if (response.ok) return data;
  const error = (data && data.error) || {};
  throw new ApiError(response.status, error.code || "http_" + response.status, error.message || response.statusText);
}

// An admin call: "GET", "/positions?state=open" -> the answer's JSON.
// Throws ApiError with the contract's code and message.
export async function admin(method, path, body) {
  return json(await request(method, ADMIN + path, { body }));
}

// GET /healthz: the health document, whether 200 (ok) or 503 (degraded).
export async function health() {
  const response = await request("GET", "/healthz", { admin: false });
  if (response.status === 503) return response.json();
  return json(response);
}

// GET /metrics: the samples of the Prometheus text, by name and labels.
export async function metrics() {
  const response = await request("GET", "/metrics", { admin: false });
  if (!response.ok) throw new ApiError(response.status, "metrics", response.statusText);
  const samples = new Map();
  for (const line of (await response.text()).split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

// "?a=1&b=x" from the non-empty values of an object.
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== "" && value != null) search.set(key, value);
  const text = search.toString();
  return text ? "?" + text : "";
}
