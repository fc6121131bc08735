create table ep_digits (x int);
create table ep (code smallint encode runlength, grp int encode bytedict, tag varchar(12) encode text255, label char(6) encode bytedict, note varchar(20) encode text32k, v bigint encode raw) diststyle even;
create table ep_raw (code smallint encode raw, grp int encode raw, tag varchar(12) encode raw, label char(6) encode raw, note varchar(20) encode raw, v bigint encode raw) diststyle even;
drop table ep