/**
 * npm start's one-click way in: the local admin (admin@kvpress.localhost, a reserved name per RFC 6761, made on the first start) and a
 * one-time sign-in link for them, made through the API with PUBLISH_TOKEN. The publisher answers
 * the link's route only with LOCAL_SIGN_IN on, which npm start sets and the deploy guard refuses.
 */
const LOCAL_ADMIN = {
  name: 'Local admin',
  email: 'admin@kvpress.localhost',
  role: 'admin',
} as const;

interface Listed {
  id: string;
  email: string;
  active: boolean;
}

/** A fresh one-time sign-in link for the local admin, or why there is none. */
export async function localSignInLink(
  origin: string,
  token: string,
): Promise<{ url: string } | { problem: string }> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const api = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${origin}/api${path}`, {
      method,
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json: unknown = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`${method} /api${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    const { people } = (await api('GET', '/people')) as { people: Listed[] };
    let admin = people.find((p) => p.email === LOCAL_ADMIN.email);
    admin ??= (await api('POST', '/people', LOCAL_ADMIN)) as Listed;
    if (!admin.active) await api('PATCH', `/people/${admin.id}`, { active: true, role: 'admin' });
    const { url } = (await api('POST', `/people/${admin.id}/sign-in-links`)) as { url: string };
    return { url };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
