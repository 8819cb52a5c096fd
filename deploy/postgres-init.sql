-- Run once by the postgres image on a new data volume (docker-entrypoint-initdb.d).
-- The portal connects as `ent`, an ordinary role that owns its database: superusers bypass
-- row-level security, the second wall between schools, so the portal must not be one.
\set ent_password `echo "${ENT_DB_PASSWORD:-ent}"`
CREATE ROLE ent LOGIN PASSWORD :'ent_password' NOSUPERUSER NOCREATEROLE NOCREATEDB;
CREATE DATABASE ent OWNER ent;
