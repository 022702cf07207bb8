-- Reference CRM for Tidings, part 2 of 4: triggers that write tidings.changes.
--
-- Every change a user makes to a deal becomes one row in tidings.changes, in the same
-- transaction, so it commits (or rolls back) with the change itself:
--   deal created                       created   {kind, title, stage, amount, currency, owner_id, primary_contact_id}
--   stage moved                        stage     {from, to}
--   title, kind, amount, currency,     field     {field, from, to}  (+ from_name/to_name for people)
--   owner, primary contact, close date
--   comment added                      comment   {comment_id, comment}      actor: the comment's author
--   participant added / removed        participant_added / participant_removed   {contact_id, name}
--   collaborator added / removed       collaborator_added / collaborator_removed {user_id, name}
--
-- Who did it: the application sets it per transaction, before its writes:
--     BEGIN;
--     SELECT set_config('crm.actor_id', 'u-3', true);   -- or: SET LOCAL crm.actor_id = 'u-3';
--     UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1';
--     COMMIT;
-- Unset (or empty), the actor is NULL: the system. Being local, it cannot leak into the next
-- transaction of a pooled connection.
--
-- Bulk loads that are not news (imports, 04-seed.sql) run with SET LOCAL crm.seeding = 'on',
-- which makes these triggers write nothing. It is a convenience of this reference CRM, open
-- to any session; a production CRM would keep such a switch to its migration role.

BEGIN;

CREATE FUNCTION crm.current_actor() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('crm.actor_id', true), '')
$$;

CREATE FUNCTION crm.is_seeding() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('crm.seeding', true), '') = 'on'
$$;

CREATE FUNCTION crm.record_change(deal_id text, kind text, actor_id text, payload jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
    VALUES (record_change.deal_id, record_change.kind, record_change.actor_id, record_change.payload)
$$;

CREATE FUNCTION crm.user_name(user_id text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT display_name FROM crm.users WHERE id = user_id $$;

CREATE FUNCTION crm.contact_name(contact_id text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT name FROM crm.contacts WHERE id = contact_id $$;

-- One field change, written only when the value really changed.
CREATE FUNCTION crm.record_field_change(deal_id text, actor_id text, field text, old_value jsonb, new_value jsonb, extra jsonb DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF old_value IS DISTINCT FROM new_value THEN
        PERFORM crm.record_change(deal_id, 'field', actor_id,
            jsonb_build_object('field', field, 'from', old_value, 'to', new_value) || extra);
    END IF;
END
$$;

CREATE FUNCTION crm.deals_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER deals_touch BEFORE UPDATE ON crm.deals
    FOR EACH ROW EXECUTE FUNCTION crm.deals_touch();

CREATE FUNCTION crm.deals_track_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    actor text := crm.current_actor();
BEGIN
    IF crm.is_seeding() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM crm.record_change(NEW.id, 'created', actor, jsonb_build_object(
            'kind', NEW.kind, 'title', NEW.title, 'stage', NEW.stage, 'amount', NEW.amount,
            'currency', NEW.currency, 'owner_id', NEW.owner_id, 'primary_contact_id', NEW.primary_contact_id));
        RETURN NULL;
    END IF;

    IF NEW.stage IS DISTINCT FROM OLD.stage THEN
        PERFORM crm.record_change(NEW.id, 'stage', actor, jsonb_build_object('from', OLD.stage, 'to', NEW.stage));
    END IF;
    PERFORM crm.record_field_change(NEW.id, actor, 'kind', to_jsonb(OLD.kind), to_jsonb(NEW.kind));
    PERFORM crm.record_field_change(NEW.id, actor, 'title', to_jsonb(OLD.title), to_jsonb(NEW.title));
    PERFORM crm.record_field_change(NEW.id, actor, 'amount', to_jsonb(OLD.amount), to_jsonb(NEW.amount),
        jsonb_build_object('currency', NEW.currency));
    PERFORM crm.record_field_change(NEW.id, actor, 'currency', to_jsonb(OLD.currency), to_jsonb(NEW.currency));
    PERFORM crm.record_field_change(NEW.id, actor, 'owner_id', to_jsonb(OLD.owner_id), to_jsonb(NEW.owner_id),
        jsonb_build_object('from_name', crm.user_name(OLD.owner_id), 'to_name', crm.user_name(NEW.owner_id)));
    PERFORM crm.record_field_change(NEW.id, actor, 'primary_contact_id',
        to_jsonb(OLD.primary_contact_id), to_jsonb(NEW.primary_contact_id),
        jsonb_build_object('from_name', crm.contact_name(OLD.primary_contact_id),
                           'to_name', crm.contact_name(NEW.primary_contact_id)));
    PERFORM crm.record_field_change(NEW.id, actor, 'expected_close',
        to_jsonb(OLD.expected_close), to_jsonb(NEW.expected_close));
    RETURN NULL;
END
$$;

CREATE TRIGGER deals_track_changes AFTER INSERT OR UPDATE ON crm.deals
    FOR EACH ROW EXECUTE FUNCTION crm.deals_track_changes();

CREATE FUNCTION crm.comments_track_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF crm.is_seeding() THEN
        RETURN NULL;
    END IF;
    PERFORM crm.record_change(NEW.deal_id, 'comment', NEW.author_id,
        jsonb_build_object('comment_id', NEW.id, 'comment', NEW.body));
    RETURN NULL;
END
$$;

CREATE TRIGGER comments_track_changes AFTER INSERT ON crm.comments
    FOR EACH ROW EXECUTE FUNCTION crm.comments_track_changes();

-- Rows removed because their deal was deleted are not news about that deal: skipped.
CREATE FUNCTION crm.participants_track_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF crm.is_seeding() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM crm.record_change(NEW.deal_id, 'participant_added', crm.current_actor(),
            jsonb_build_object('contact_id', NEW.contact_id, 'name', crm.contact_name(NEW.contact_id)));
    ELSIF EXISTS (SELECT 1 FROM crm.deals WHERE id = OLD.deal_id) THEN
        PERFORM crm.record_change(OLD.deal_id, 'participant_removed', crm.current_actor(),
            jsonb_build_object('contact_id', OLD.contact_id, 'name', crm.contact_name(OLD.contact_id)));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER participants_track_changes AFTER INSERT OR DELETE ON crm.deal_participants
    FOR EACH ROW EXECUTE FUNCTION crm.participants_track_changes();

CREATE FUNCTION crm.collaborators_track_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF crm.is_seeding() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM crm.record_change(NEW.deal_id, 'collaborator_added', crm.current_actor(),
            jsonb_build_object('user_id', NEW.user_id, 'name', crm.user_name(NEW.user_id)));
    ELSIF EXISTS (SELECT 1 FROM crm.deals WHERE id = OLD.deal_id) THEN
        PERFORM crm.record_change(OLD.deal_id, 'collaborator_removed', crm.current_actor(),
            jsonb_build_object('user_id', OLD.user_id, 'name', crm.user_name(OLD.user_id)));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER collaborators_track_changes AFTER INSERT OR DELETE ON crm.deal_collaborators
    FOR EACH ROW EXECUTE FUNCTION crm.collaborators_track_changes();

COMMIT;
