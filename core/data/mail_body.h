// The body of an e-mail as text a model may read: the headers dropped (they give a spam filter's
// answer away: X-Spam flags, relays, senders), MIME parts taken apart (text parts kept, the plain
// one of an alternative, attachments dropped), quoted-printable and base64 decoded, HTML reduced
// to its text (tags, scripts and styles removed, entities decoded), and bytes that are not UTF-8
// read as Latin-1 (what most 2002 mails declare). Nothing here judges the mail.
#pragma once

#include <string>
#include <string_view>

namespace imblab {

std::string mailBodyText(std::string_view mail);

// Helpers, public for tests: RFC 2045 quoted-printable and base64 bodies, and HTML to text.
std::string decodeQuotedPrintable(std::string_view s);
std::string decodeBase64(std::string_view s);
std::string htmlToText(std::string_view html);

} // namespace imblab
