create table wn_t (g varchar(5), o int, v int, d decimal(8,2));
create table wn_empty (g varchar(5), v int);
select g, o, v from (select g, o, v, row_number() over (partition by g order by v desc) rn from wn_t) s
where rn = 1 order by g