-- 008: names as the matcher parsed them (transforms/match.py, NAME_PARTS), by the string
-- parsed, so that a full resolution does not parse again the names it parsed before (Python,
-- once per distinct string: most of a million records' feature time). Filled as files are
-- ingested and as records are resolved; rows of another parser version are ignored and
-- replaced (flows/name_parts.py). Internal: a cache, rebuilt from person_records at will.
create table store.name_parts (
    parser_version varchar not null,   -- flows.name_parts.parser_version() of the code that parsed
    kind           varchar not null,   -- 'first' | 'last' | 'full': which field the string was
    raw            varchar not null,   -- the string as stored in person_records
    fn             varchar,            -- first name (and middle words), folded
    ln             varchar,            -- surname core, folded, without spaces
    fv             varchar,            -- nickname variants of the first name, '|'-joined
    la             varchar             -- other forms of the surname, '|'-joined
);
