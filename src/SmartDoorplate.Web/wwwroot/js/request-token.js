// The anti-forgery token the layout puts in <meta name="request-verification-token"> for signed-in
// pages: every POST, PUT, PATCH or DELETE the session cookie signs in must carry it as a header, or
// the server refuses it (Accounts/CookieAntiforgery), so that no other page can post in our name.
const token = document.querySelector('meta[name="request-verification-token"]')?.content;

export function withRequestToken(method, headers) {
  const safe = ['GET', 'HEAD', 'OPTIONS'].includes((method ?? 'GET').toUpperCase());
  return safe || !token ? headers : { ...headers, RequestVerificationToken: token };
}
