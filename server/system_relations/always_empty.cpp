// The catalog relations Strata has no objects for, so no rows: one line each, as they have no
// producer. Clients still read them (psql's \d commands, pgjdbc's metadata), so their shapes are
// PostgreSQL's.
#include "planner/system_relation.h"

namespace strata {
namespace {

using Registrar = SystemRelationRegistrar;
constexpr Registrar::EmptyWithoutBinding kEmpty{};

// Policies, publications, inheritance, triggers, rules, casts, ...: a query that inner-joins one
// of these is answered as empty without binding its select list (planner/empty_query.h), as
// psql's and pgjdbc's use array machinery Strata lacks.
const Registrar kPgShdescription("pg_shdescription", 12008, "objoid:o classoid:o description:t", kEmpty);
const Registrar kPgInherits("pg_inherits", 2611, "inhrelid:o inhparent:o inhseqno:i inhdetachpending:b", kEmpty);
const Registrar kPgPolicy(
    "pg_policy", 12022, "oid:o polname:n polrelid:o polcmd:c polpermissive:b polroles:O polqual:t polwithcheck:t",
    kEmpty);
const Registrar kPgStatisticExt(
    "pg_statistic_ext", 12023,
    "oid:o stxrelid:o stxname:n stxnamespace:o stxowner:o stxstattarget:i stxkeys:V stxkind:C stxexprs:t", kEmpty);
const Registrar kPgPublication(
    "pg_publication", 12024,
    "oid:o pubname:n pubowner:o puballtables:b pubinsert:b pubupdate:b pubdelete:b pubtruncate:b pubviaroot:b",
    kEmpty);
const Registrar kPgPublicationRel("pg_publication_rel", 12025, "oid:o prpubid:o prrelid:o prqual:t prattrs:V", kEmpty);
const Registrar kPgPublicationNamespace("pg_publication_namespace", 12026, "oid:o pnpubid:o pnnspid:o", kEmpty);
const Registrar kPgTrigger(
    "pg_trigger", 2620,
    "oid:o tgrelid:o tgparentid:o tgname:n tgfoid:o tgtype:s tgenabled:c tgisinternal:b tgconstrrelid:o "
    "tgconstrindid:o tgconstraint:o tgdeferrable:b tginitdeferred:b tgnargs:s tgattr:V tgargs:t tgqual:t "
    "tgoldtable:n tgnewtable:n",
    kEmpty);
const Registrar kPgRewrite(
    "pg_rewrite", 2618, "oid:o rulename:n ev_class:o ev_type:c ev_enabled:c is_instead:b ev_qual:t ev_action:t",
    kEmpty);
// Casts, text search configurations and event triggers, which psql's \dC, \dF and \dy list:
// Strata has none of its own to show.
const Registrar kPgCast("pg_cast", 12029, "oid:o castsource:o casttarget:o castfunc:o castcontext:c castmethod:c",
                        kEmpty);
const Registrar kPgTsConfig("pg_ts_config", 12030, "oid:o cfgname:n cfgnamespace:o cfgowner:o cfgparser:o", kEmpty);
const Registrar kPgEventTrigger(
    "pg_event_trigger", 12031, "oid:o evtname:n evtevent:n evtowner:o evtfoid:o evtenabled:c evttags:a", kEmpty);
const Registrar kPgExtension(
    "pg_extension", 3079,
    "oid:o extname:n extowner:o extnamespace:o extrelocatable:b extversion:t extconfig:O extcondition:a", kEmpty);
const Registrar kPgForeignTable("pg_foreign_table", 12033, "ftrelid:o ftserver:o ftoptions:a", kEmpty);
const Registrar kPgPartitionedTable(
    "pg_partitioned_table", 12034,
    "partrelid:o partstrat:c partnatts:s partdefid:o partattrs:V partclass:W partcollation:W partexprs:t", kEmpty);
const Registrar kPgSequence(
    "pg_sequence", 12035, "seqrelid:o seqtypid:o seqstart:l seqincrement:l seqmax:l seqmin:l seqcache:l seqcycle:b",
    kEmpty);

// What pg_dump reads to find the objects of kinds Strata does not have (operator classes, text
// search, foreign data, conversions, transforms, subscriptions, security labels, initial and
// default privileges, large objects): their PostgreSQL oids and columns.
const Registrar kPgOpclass("pg_opclass", 2616,
                           "oid:o opcmethod:o opcname:n opcnamespace:o opcowner:o opcfamily:o opcintype:o "
                           "opcdefault:b opckeytype:o", kEmpty);
const Registrar kPgOpfamily("pg_opfamily", 2753, "oid:o opfmethod:o opfname:n opfnamespace:o opfowner:o", kEmpty);
const Registrar kPgAmop("pg_amop", 2602,
                        "oid:o amopfamily:o amoplefttype:o amoprighttype:o amopstrategy:s amoppurpose:c amopopr:o "
                        "amopmethod:o amopsortfamily:o", kEmpty);
const Registrar kPgAmproc("pg_amproc", 2603,
                          "oid:o amprocfamily:o amproclefttype:o amprocrighttype:o amprocnum:s amproc:o", kEmpty);
const Registrar kPgTsParser("pg_ts_parser", 3601,
                            "oid:o prsname:n prsnamespace:o prsstart:o prstoken:o prsend:o prsheadline:o prslextype:o",
                            kEmpty);
const Registrar kPgTsTemplate("pg_ts_template", 3764, "oid:o tmplname:n tmplnamespace:o tmplinit:o tmpllexize:o",
                              kEmpty);
const Registrar kPgTsDict("pg_ts_dict", 3600,
                          "oid:o dictname:n dictnamespace:o dictowner:o dicttemplate:o dictinitoption:t", kEmpty);
const Registrar kPgForeignDataWrapper(
    "pg_foreign_data_wrapper", 2328,
    "oid:o fdwname:n fdwowner:o fdwhandler:o fdwvalidator:o fdwacl:A fdwoptions:a", kEmpty);
const Registrar kPgForeignServer(
    "pg_foreign_server", 1417,
    "oid:o srvname:n srvowner:o srvfdw:o srvtype:t srvversion:t srvacl:A srvoptions:a", kEmpty);
const Registrar kPgUserMapping("pg_user_mapping", 1418, "oid:o umuser:o umserver:o umoptions:a", kEmpty);
const Registrar kPgDefaultAcl("pg_default_acl", 826,
                              "oid:o defaclrole:o defaclnamespace:o defaclobjtype:c defaclacl:A", kEmpty);
const Registrar kPgConversion(
    "pg_conversion", 2607,
    "oid:o conname:n connamespace:o conowner:o conforencoding:i contoencoding:i conproc:o condefault:b", kEmpty);
const Registrar kPgTransform("pg_transform", 3576, "oid:o trftype:o trflang:o trffromsql:o trftosql:o", kEmpty);
const Registrar kPgSubscription(
    "pg_subscription", 6100,
    "oid:o subdbid:o subskiplsn:t subname:n subowner:o subenabled:b subbinary:b substream:c subtwophasestate:c "
    "subdisableonerr:b subconninfo:t subslotname:n subsynccommit:t subpublications:a", kEmpty);
const Registrar kPgInitPrivs("pg_init_privs", 3394, "objoid:o classoid:o objsubid:i privtype:c initprivs:A", kEmpty);
const Registrar kPgSeclabel("pg_seclabel", 3596, "objoid:o classoid:o objsubid:i provider:t label:t", kEmpty);
const Registrar kPgShseclabel("pg_shseclabel", 3592, "objoid:o classoid:o provider:t label:t", kEmpty);
const Registrar kPgSeclabels(
    "pg_seclabels", 12090,
    "objoid:o classoid:o objsubid:i objtype:t objnamespace:o objname:t provider:t label:t", kEmpty);
const Registrar kPgLargeobjectMetadata("pg_largeobject_metadata", 2995, "oid:o lomowner:o lomacl:A", kEmpty);
const Registrar kPgRange("pg_range", 3541,
                         "rngtypid:o rngsubtype:o rngmultitypid:o rngcollation:o rngsubopc:o rngcanonical:o "
                         "rngsubdiff:o", kEmpty);
const Registrar kPgOperator(
    "pg_operator", 2617,
    "oid:o oprname:n oprnamespace:o oprowner:o oprkind:c oprcanmerge:b oprcanhash:b oprleft:o oprright:o "
    "oprresult:o oprcom:o oprnegate:o oprcode:o oprrest:o oprjoin:o", kEmpty);
const Registrar kPgLanguage(
    "pg_language", 2612,
    "oid:o lanname:n lanowner:o lanispl:b lanpltrusted:b lanplcallfoid:o laninline:o lanvalidator:o lanacl:A",
    kEmpty);

// No rows either, but bound as usual (a query that joins them is planned and run).
const Registrar kPgEnum("pg_enum", 3501, "oid:o enumtypid:o enumsortorder:f enumlabel:n", nullptr);
const Registrar kPgMatviews(
    "pg_matviews", 12037,
    "schemaname:n matviewname:n matviewowner:n tablespace:n hasindexes:b ispopulated:b definition:t", nullptr);

}  // namespace
}  // namespace strata
