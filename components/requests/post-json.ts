// Call the portal's JSON API and read the body whatever the status: callers branch on `status`.
export interface ApiResult<T> {
  status: number;
  ok: boolean;
  data: T | null;
  error: { code?: string; message: string; fields?: { path: string; message: string }[] } | null;
}

export async function postJson<T>(
  url: string,
  body?: unknown,
  method: "POST" | "PUT" | "PATCH" | "DELETE" = "POST",
): Promise<ApiResult<T>> {
  return requestJson<T>(url, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<ApiResult<T>> {
  return requestJson<T>(url, { signal });
}

async function requestJson<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
  try {
    const response = await fetch(url, init);
    const json = (await response.json().catch(() => null)) as (T & { error?: ApiResult<T>["error"] }) | null;
    if (response.ok) return { status: response.status, ok: true, data: json, error: null };
    return {
      status: response.status,
      ok: false,
      data: null,
      error: json?.error ?? { message: `The request failed with HTTP ${response.status}: try again.` },
    };
  } catch (error) {
    return {
      status: 0,
      ok: false,
      data: null,
      error: { message: `The portal could not be reached (${String(error)}): check your connection and try again.` },
    };
  }
}
