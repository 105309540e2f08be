-- One landlord with 30 buildings and 500 tenants, made from the pilot (landlord-pages.sh runs it after
-- `seed --scale pilot`): landlord.demo's buildings topped up with unowned pilot buildings to 30, rooms
-- (1–2 beds, 4 a floor on up to 5 floors) where a number is free, and new tenants until the landlord has
-- 500 open registrations, 30 of them waiting for confirmation. The tenants' encrypted ID numbers and
-- phones are copies of pilot persons' (the page decrypts and masks them as it would real ones); their
-- blind indexes are random, so no lookup by ID number or phone ever finds them.
begin;

create temporary table bench_landlord on commit drop as select id from users where user_name = 'landlord.demo';

update buildings set owner_id = (select id from bench_landlord)
where id in (select id from buildings where owner_id is null or owner_id = (select id from bench_landlord)
             order by owner_id is null, code limit 30);

insert into rooms (building_id, floor, number, beds)
select b.id, f, (f * 100 + k)::text, case when k = 1 then 1 else 2 end
from buildings b cross join generate_series(1, 5) f cross join generate_series(1, 4) k
where b.owner_id = (select id from bench_landlord) and f <= greatest(b.floors, 1)
  and not exists (select 1 from rooms r where r.building_id = b.id and r.number = (f * 100 + k)::text and r.retired_at is null);

create temporary table bench_open on commit drop as
select r.status from residence_registrations r join buildings b on b.id = r.building_id
where b.owner_id = (select id from bench_landlord)
  and (r.status = 'submitted' or (r.status in ('confirmed', 'verified') and r.move_out_date is null));

create temporary table bench_people on commit drop as
select gen_random_uuid() as id, n from generate_series(1, greatest(0, 500 - (select count(*) from bench_open))::int) n;

with template as (
  select row_number() over (order by id) as k, id_number_cipher, phone_cipher, sex, birth_date, origin_region_code
  from persons where anonymised_at is null order by id limit 500)
insert into persons (id, name, id_number_cipher, id_number_index, phone_cipher, phone_index, sex, birth_date, origin_region_code, created_at)
select p.id,
       (array['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + p.n % 10]
         || (array['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','涛','明'])[1 + (p.n / 10) % 15]
         || (array['','华','平','红','玲','斌'])[1 + (p.n / 150) % 6],
       t.id_number_cipher, decode(md5('bench-id-' || p.id), 'hex'), t.phone_cipher, decode(md5('bench-phone-' || p.id), 'hex'),
       t.sex, t.birth_date, t.origin_region_code, now()
from bench_people p join template t on t.k = 1 + (p.n - 1) % (select count(*) from template);

with rooms_of as (
  select r.id, r.building_id, row_number() over (order by r.building_id, r.number) as k
  from rooms r join buildings b on b.id = r.building_id
  where b.owner_id = (select id from bench_landlord) and r.retired_at is null),
pending_needed as (select greatest(0, 30 - count(*) filter (where status = 'submitted')) as m from bench_open)
insert into residence_registrations (id, receipt, person_id, building_id, room_id, move_in_date, reason, status, channel, late,
                                     submitted_at, confirmed_at)
select gen_random_uuid(), 'BENCH' || upper(substr(md5(p.id::text), 1, 12)), p.id, ro.building_id, ro.id,
       current_date - (p.n % 300)::int, 'work',
       case when p.n <= (select m from pending_needed) then 'submitted' else 'confirmed' end, 'api', false,
       now() - make_interval(hours => (p.n % 70)::int),
       case when p.n <= (select m from pending_needed) then null else now() - make_interval(hours => (p.n % 70)::int) + interval '1 hour' end
from bench_people p join rooms_of ro on ro.k = 1 + (p.n - 1) % (select count(*) from rooms_of);

commit;
