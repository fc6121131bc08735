// The per-column catalog relations: information_schema.columns (PostgreSQL's) and svv_columns
// (Redshift's), one row per column of every user table and view, describing each type the SQL
// standard's way (data_type, lengths, precisions).
#pragma once

#include <string>

#include "server/catalog_row_writer.h"
#include "catalog/catalog.pb.h"

namespace strata {

// Rows of information_schema.columns for database `db`.
void FillInformationSchemaColumns(const catalog::Catalog& cat, const std::string& db, RowWriter& w);
// Rows of svv_columns for database `db`.
void FillSvvColumns(const catalog::Catalog& cat, const std::string& db, RowWriter& w);

}  // namespace strata
