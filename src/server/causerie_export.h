#pragma once
// Causerie's own export (docs/api.md, "Export format"): everything the database
// holds that matters, as JSON Lines, streamed both ways, and its import, which
// keeps ids, dates, statuses, e-mails, edit-token hashes and origins, so that an
// export imported into an empty database answers the API byte for byte as the
// original did.
#include <cstdio>
#include <string>

#include "server/importer.h"
#include "server/storage.h"

namespace causerie::server {

constexpr int kExportVersion = 1;

// One line of the format (without its newline): shared with a reader's own copy
// of their comments (my_data.h).
std::string export_thread_line(const ThreadRow& t);
std::string export_comment_line(const StoredComment& c);

// False with `error` when the storage or the file fails.
bool write_export(Storage& storage, std::FILE* out, std::string& error);
// Comments whose id is already taken by the same comment are "already imported";
// by another, rejected. The install salt is taken when the database was empty.
bool import_causerie(Storage& storage, const ImportOptions& options, ImportReport& report, std::string& error);

// `causerie-server export FILE [--db ...]`; FILE "-" is stdout. The exit code.
int export_command(int argc, char** argv);

}  // namespace causerie::server
