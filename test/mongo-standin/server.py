#!/usr/bin/python3
"""A MongoDB wire-protocol STAND-IN for tests and CI: mongomock behind a small wire front.

This is NOT mongod. It answers the official Node driver as a standalone server would, over
OP_MSG (and OP_QUERY/OP_REPLY for the legacy isMaster handshake), with Debian's
python3-mongomock (4.1.x) holding the data in memory. Where mongomock falls short it says so
(code 115 CommandNotSupported) rather than pretending: no query planner (explain), no
arrayFilters, no transactions (refused with code 20, as a standalone refuses them).

Commands are handled one at a time on one thread (an asyncio loop whose handlers never
await), so every command is atomic, as a single-document operation is on mongod.

Usage: /usr/bin/python3 server.py [--port N] (0 = a free port). It prints
"mongo-standin listening on <port>" once bound and exits when its stdin closes, so a test
process that dies takes it along.
"""
import argparse
import asyncio
import copy
import datetime
import itertools
import struct
import sys
import traceback

import bson
from bson.codec_options import CodecOptions
from bson.int64 import Int64
from bson.objectid import ObjectId
import mongomock

OP_REPLY, OP_QUERY, OP_MSG = 1, 2004, 2013
MORE_TO_COME = 1 << 1
CHECKSUM_PRESENT = 1
CODEC = CodecOptions(document_class=dict, tz_aware=False)
WIRE_VERSION = 21  # what MongoDB 7.0 reports; the driver needs at least 7
DEFAULT_BATCH = 101
LABEL = 'mongomock %s over the wire (a stand-in, not mongod)' % mongomock.__version__


class CommandError(Exception):
    def __init__(self, code, code_name, errmsg, **extra):
        super().__init__(errmsg)
        self.reply = dict(ok=0.0, errmsg=errmsg, code=code, codeName=code_name, **extra)


def not_supported(what):
    return CommandError(115, 'CommandNotSupported', '%s is not supported by the mongomock stand-in (run against mongod for it)' % what)


class StandIn:
    def __init__(self):
        self.client = mongomock.MongoClient()
        # A private collection for computing documents (projections, pipeline updates, post-images).
        self.scratch = mongomock.MongoClient()['scratch']['c']
        self.cursors = {}
        self.cursor_ids = itertools.count(1)
        self.connection_ids = itertools.count(1)

    # ---- dispatch -------------------------------------------------------------------------

    def handle(self, body, connection_id):
        if not body:
            raise CommandError(59, 'CommandNotFound', 'empty command')
        name = next(iter(body))
        # A standalone has no transactions: it refuses transaction numbers outright.
        if 'txnNumber' in body or 'startTransaction' in body or 'autocommit' in body or name in ('commitTransaction', 'abortTransaction'):
            raise CommandError(20, 'IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos')
        handler = COMMANDS.get(name) or COMMANDS.get(name.lower())
        if handler is None:
            raise CommandError(59, 'CommandNotFound', "no such command: '%s' (mongomock stand-in)" % name)
        return handler(self, body, connection_id)

    def col(self, body, key):
        return self.client[body.get('$db', 'test')][body[key]]

    # ---- handshake and server info --------------------------------------------------------

    def hello(self, body, connection_id):
        return {
            'helloOk': True,
            'ismaster': True,
            'isWritablePrimary': True,
            'maxBsonObjectSize': 16 * 1024 * 1024,
            'maxMessageSizeBytes': 48000000,
            'maxWriteBatchSize': 100000,
            'localTime': datetime.datetime.now(datetime.timezone.utc),
            'logicalSessionTimeoutMinutes': 30,
            'connectionId': connection_id,
            'minWireVersion': 0,
            'maxWireVersion': WIRE_VERSION,
            'readOnly': False,
            'standin': LABEL,
            'ok': 1.0,
        }

    def build_info(self, body, _):
        return {'version': '7.0.0', 'versionArray': [7, 0, 0, 0], 'gitVersion': 'mongomock-standin', 'standin': LABEL, 'bits': 64, 'maxBsonObjectSize': 16 * 1024 * 1024, 'ok': 1.0}

    def ok(self, body, _):
        return {'ok': 1.0}

    def get_parameter(self, body, _):
        return {'featureCompatibilityVersion': {'version': '7.0'}, 'ok': 1.0}

    def list_databases(self, body, _):
        names = self.client.list_database_names()
        if body.get('nameOnly'):
            return {'databases': [{'name': n} for n in names], 'ok': 1.0}
        return {'databases': [{'name': n, 'sizeOnDisk': 0, 'empty': False} for n in names], 'totalSize': 0, 'ok': 1.0}

    # ---- cursors --------------------------------------------------------------------------

    def cursor_reply(self, ns, docs, batch_size, single_batch=False):
        first = docs if single_batch or batch_size is None and len(docs) <= DEFAULT_BATCH else docs[: DEFAULT_BATCH if batch_size is None else batch_size]
        rest = docs[len(first):]
        cursor_id = 0
        if rest:
            cursor_id = next(self.cursor_ids)
            self.cursors[cursor_id] = (ns, rest)
        return {'cursor': {'id': Int64(cursor_id), 'ns': ns, 'firstBatch': first}, 'ok': 1.0}

    def get_more(self, body, _):
        cursor_id = int(body['getMore'])
        ns = '%s.%s' % (body.get('$db'), body.get('collection'))
        if cursor_id not in self.cursors:
            raise CommandError(43, 'CursorNotFound', 'cursor id %d not found' % cursor_id)
        ns, docs = self.cursors.pop(cursor_id)
        size = body.get('batchSize') or len(docs)
        batch, rest = docs[:size], docs[size:]
        if rest:
            self.cursors[cursor_id] = (ns, rest)
        return {'cursor': {'id': Int64(cursor_id if rest else 0), 'ns': ns, 'nextBatch': batch}, 'ok': 1.0}

    def kill_cursors(self, body, _):
        killed, missing = [], []
        for c in body.get('cursors', []):
            (killed if self.cursors.pop(int(c), None) is not None else missing).append(c)
        return {'cursorsKilled': killed, 'cursorsNotFound': missing, 'cursorsAlive': [], 'cursorsUnknown': [], 'ok': 1.0}

    # ---- reads ----------------------------------------------------------------------------

    def find(self, body, _):
        if 'explain' in body:
            raise not_supported('explain')
        col = self.col(body, 'find')
        limit = int(body.get('limit') or 0)
        single = bool(body.get('singleBatch')) or limit < 0
        kwargs = {'skip': int(body.get('skip') or 0), 'limit': abs(limit)}
        if body.get('sort'):
            kwargs['sort'] = list(body['sort'].items())
        docs = list(col.find(body.get('filter') or {}, body.get('projection') or None, **kwargs))
        return self.cursor_reply(col.full_name, docs, body.get('batchSize'), single)

    def aggregate(self, body, _):
        if body.get('explain'):
            raise not_supported('explain')
        if not isinstance(body['aggregate'], str):
            raise not_supported('a database-level aggregate')
        col = self.col(body, 'aggregate')
        docs = list(col.aggregate(body.get('pipeline') or []))
        return self.cursor_reply(col.full_name, docs, (body.get('cursor') or {}).get('batchSize'))

    def count(self, body, _):
        col = self.col(body, 'count')
        kwargs = {}
        if body.get('skip'):
            kwargs['skip'] = int(body['skip'])
        if body.get('limit'):
            kwargs['limit'] = abs(int(body['limit']))
        return {'n': col.count_documents(body.get('query') or {}, **kwargs), 'ok': 1.0}

    def distinct(self, body, _):
        col = self.col(body, 'distinct')
        return {'values': col.distinct(body['key'], body.get('query') or {}), 'ok': 1.0}

    def explain(self, body, _):
        raise not_supported('explain')

    # ---- writes ---------------------------------------------------------------------------

    def insert(self, body, _):
        col = self.col(body, 'insert')
        ordered = body.get('ordered', True)
        n, errors = 0, []
        for i, doc in enumerate(body.get('documents', [])):
            try:
                col.insert_one(doc)
                n += 1
            except mongomock.DuplicateKeyError:
                errors.append(dict(index=i, **self.duplicate(col, doc)))
                if ordered:
                    break
        reply = {'n': n, 'ok': 1.0}
        if errors:
            reply['writeErrors'] = errors
        return reply

    def update(self, body, _):
        col = self.col(body, 'update')
        ordered = body.get('ordered', True)
        n = modified = 0
        upserted, errors = [], []
        for i, stmt in enumerate(body.get('updates', [])):
            if stmt.get('arrayFilters'):
                raise not_supported('arrayFilters')
            q, u = stmt.get('q') or {}, stmt['u']
            try:
                matched, changed, upserted_id = self.apply_update(col, q, u, bool(stmt.get('upsert')), bool(stmt.get('multi')))
            except mongomock.DuplicateKeyError:
                errors.append(dict(index=i, **self.duplicate(col, self.post_image(col, q, u, bool(stmt.get('upsert'))))))
                if ordered:
                    break
                continue
            n += matched
            modified += changed
            if upserted_id is not None:
                n += 1
                upserted.append({'index': i, '_id': upserted_id})
        reply = {'n': n, 'nModified': modified, 'ok': 1.0}
        if upserted:
            reply['upserted'] = upserted
        if errors:
            reply['writeErrors'] = errors
        return reply

    def delete(self, body, _):
        col = self.col(body, 'delete')
        n = 0
        for stmt in body.get('deletes', []):
            q = stmt.get('q') or {}
            n += (col.delete_one(q) if stmt.get('limit') else col.delete_many(q)).deleted_count
        return {'n': n, 'ok': 1.0}

    def find_and_modify(self, body, _):
        col = self.col(body, 'findAndModify')
        if body.get('arrayFilters'):
            raise not_supported('arrayFilters')
        query = body.get('query') or {}
        sort = list(body['sort'].items()) if body.get('sort') else None
        fields = body.get('fields') or None
        pre = col.find_one(query, sort=sort)
        if body.get('remove'):
            if pre is not None:
                col.delete_one({'_id': pre['_id']})
            return {'lastErrorObject': {'n': 1 if pre else 0}, 'value': self.project(pre, fields), 'ok': 1.0}
        u = body.get('update')
        upsert = bool(body.get('upsert'))
        # The matched document only, even when another one also matches the query.
        spec = dict(query, _id=pre['_id']) if pre is not None else query
        try:
            _, _, upserted_id = self.apply_update(col, spec, u, upsert and pre is None, False)
        except mongomock.DuplicateKeyError:
            raise CommandError(11000, 'DuplicateKey', **self.duplicate_reply(col, self.post_image(col, spec, u, upsert)))
        if pre is not None:
            post = col.find_one({'_id': pre['_id']})
            last = {'n': 1, 'updatedExisting': True}
        elif upserted_id is not None:
            post = col.find_one({'_id': upserted_id})
            last = {'n': 1, 'updatedExisting': False, 'upserted': upserted_id}
        else:
            post = None
            last = {'n': 0, 'updatedExisting': False}
        value = post if body.get('new') else pre
        return {'lastErrorObject': last, 'value': self.project(value, fields), 'ok': 1.0}

    def apply_update(self, col, q, u, upsert, multi):
        """One update statement on `col`: (matched, modified, upserted _id or None)."""
        if isinstance(u, list):
            return self.pipeline_update(col, q, u, upsert, multi)
        if u and all(k.startswith('$') for k in u):
            r = (col.update_many if multi else col.update_one)(q, u, upsert=upsert)
        elif u and any(k.startswith('$') for k in u):
            raise CommandError(9, 'FailedToParse', 'an update mixes operators and fields')
        else:
            if multi:
                raise CommandError(9, 'FailedToParse', 'multi update is not supported for replacement-style update')
            r = col.replace_one(q, u, upsert=upsert)
        return r.matched_count, r.modified_count, r.upserted_id

    def pipeline_update(self, col, q, pipeline, upsert, multi):
        """An update with an aggregation pipeline, which mongomock's update lacks: each matched
        document goes through the pipeline and is replaced by what comes out."""
        for stage in pipeline:
            if next(iter(stage)) not in ('$set', '$addFields', '$project', '$replaceRoot'):
                raise not_supported('the update pipeline stage %s' % next(iter(stage)))
        targets = list(col.find(q)) if multi else [d for d in [col.find_one(q)] if d is not None]
        modified = 0
        for doc in targets:
            new = self.run_pipeline(doc, pipeline)
            if new != doc:
                col.replace_one({'_id': doc['_id']}, new)
                modified += 1
        if targets or not upsert:
            return len(targets), modified, None
        new = self.run_pipeline(upsert_base(q), pipeline)
        col.insert_one(new)
        return 0, 0, new['_id']

    def run_pipeline(self, doc, pipeline):
        self.scratch.delete_many({})
        self.scratch.insert_one(copy.deepcopy(doc))
        out = list(self.scratch.aggregate(pipeline))
        if len(out) != 1 or out[0].get('_id') != doc['_id']:
            raise CommandError(66, 'ImmutableField', "an update pipeline may not change '_id'")
        return out[0]

    def project(self, doc, fields):
        if doc is None or not fields:
            return doc
        self.scratch.delete_many({})
        self.scratch.insert_one(copy.deepcopy(doc))
        return self.scratch.find_one({}, fields)

    def post_image(self, col, q, u, upsert):
        """What an update that failed on a unique index would have written (for the error)."""
        pre = col.find_one(q)
        self.scratch.delete_many({})
        if pre is not None:
            self.scratch.insert_one(copy.deepcopy(pre))
            q = {'_id': pre['_id']}
        scratch, self.scratch = self.scratch, mongomock.MongoClient()['scratch2']['c']
        try:
            self.apply_update(scratch, q, u, upsert, False)
        finally:
            self.scratch = scratch
        return scratch.find_one({}) or {}

    def duplicate(self, col, doc):
        """The write error mongod gives for a duplicate key: which index, which key."""
        name, pattern, value = '_id_', {'_id': 1}, {'_id': doc.get('_id')}
        for index_name, info in col.index_information().items():
            if index_name == '_id_' or not info.get('unique'):
                continue
            keys = dict(info['key'])
            values = {k: dotted(doc, k) for k in keys}
            clash = dict(values)
            clash['_id'] = {'$ne': doc.get('_id')}
            pfe = info.get('partialFilterExpression')
            if pfe is not None:
                if not self.matches(doc, pfe):
                    continue
                clash = {'$and': [pfe, clash]}
            if col.find_one(clash) is not None:
                name, pattern, value = index_name, keys, values
                break
        shown = ', '.join('%s: %r' % kv for kv in value.items())
        errmsg = 'E11000 duplicate key error collection: %s index: %s dup key: { %s }' % (col.full_name, name, shown)
        return {'code': 11000, 'errmsg': errmsg, 'keyPattern': pattern, 'keyValue': value}

    def duplicate_reply(self, col, doc):
        d = self.duplicate(col, doc)
        return {'errmsg': d['errmsg'], 'keyPattern': d['keyPattern'], 'keyValue': d['keyValue']}

    def matches(self, doc, flt):
        self.scratch.delete_many({})
        self.scratch.insert_one(copy.deepcopy(doc))
        return self.scratch.find_one(flt) is not None

    # ---- indexes and collections ----------------------------------------------------------

    def create_indexes(self, body, _):
        col = self.col(body, 'createIndexes')
        db = col.database
        created = body['createIndexes'] not in db.list_collection_names()
        before = len(col.index_information()) if not created else 1
        for spec in body.get('indexes', []):
            kwargs = {k: v for k, v in spec.items() if k in ('name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds')}
            unknown = set(spec) - set(kwargs) - {'key', 'v', 'background'}
            if unknown:
                raise not_supported('index option(s) %s' % ', '.join(sorted(unknown)))
            existing = col.index_information()
            same_key = [n for n, i in existing.items() if i['key'] == list(spec['key'].items()) and n != spec.get('name')]
            if same_key:
                raise CommandError(85, 'IndexOptionsConflict', 'Index already exists with a different name: %s' % same_key[0])
            if spec.get('unique'):
                self.check_unique(col, spec)
            try:
                if spec.get('unique') and spec.get('partialFilterExpression') is not None:
                    # mongomock's own check on creation ignores the partial filter (the one
                    # above does not); its enforcement on writes honours it.
                    self.create_partial_unique(col, spec)
                else:
                    col.create_index(list(spec['key'].items()), **kwargs)
            except mongomock.OperationFailure as err:
                raise CommandError(86, 'IndexKeySpecsConflict', str(err))
        return {'createdCollectionAutomatically': created, 'numIndexesBefore': before, 'numIndexesAfter': len(col.index_information()), 'ok': 1.0}

    def check_unique(self, col, spec):
        """Refuses a unique index that the documents already break, as mongod does."""
        keys = list(spec['key'])
        seen = set()
        for doc in col.find(spec.get('partialFilterExpression') or {}):
            values = tuple(repr(dotted(doc, k)) for k in keys)
            if spec.get('sparse') and all(dotted(doc, k) is None for k in keys):
                continue
            if values in seen:
                raise CommandError(11000, 'DuplicateKey', 'E11000 duplicate key error collection: %s index: %s dup key: { %s }' % (col.full_name, spec.get('name'), ', '.join(values)))
            seen.add(values)

    def create_partial_unique(self, col, spec):
        index = {'key': list(spec['key'].items()), 'unique': True, 'partialFilterExpression': spec['partialFilterExpression']}
        if spec.get('sparse'):
            index['sparse'] = True
        name = spec.get('name') or '_'.join('%s_%s' % kv for kv in spec['key'].items())
        existing = col.index_information().get(name)
        if existing is not None:
            existing = {k: v for k, v in existing.items() if k != 'v'}
            if existing != index:
                raise CommandError(86, 'IndexKeySpecsConflict', 'Index with name: %s already exists with different options' % name)
            return
        col._store.create_index(name, index)  # mongomock 4.1's index registry (see create_index)

    def list_indexes(self, body, _):
        col = self.col(body, 'listIndexes')
        if body['listIndexes'] not in col.database.list_collection_names():
            raise CommandError(26, 'NamespaceNotFound', 'ns does not exist: %s' % col.full_name)
        docs = []
        for name, info in col.index_information().items():
            doc = {'v': 2, 'key': dict(info['key']), 'name': name}
            for k in ('unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'):
                if k in info:
                    doc[k] = info[k]
            docs.append(doc)
        return self.cursor_reply(col.full_name, docs, (body.get('cursor') or {}).get('batchSize'))

    def drop_indexes(self, body, _):
        col = self.col(body, 'dropIndexes')
        index = body.get('index')
        if index == '*':
            col.drop_indexes()
        else:
            for one in index if isinstance(index, list) else [index]:
                if isinstance(one, dict):
                    one = list(one.items())
                try:
                    col.drop_index(one)
                except mongomock.OperationFailure as err:
                    raise CommandError(27, 'IndexNotFound', str(err))
        return {'nIndexesWas': 0, 'ok': 1.0}

    def list_collections(self, body, _):
        db = self.client[body.get('$db', 'test')]
        docs = [{'name': n, 'type': 'collection', 'options': {}, 'info': {'readOnly': False}, 'idIndex': {'v': 2, 'key': {'_id': 1}, 'name': '_id_'}} for n in db.list_collection_names()]
        flt = body.get('filter') or {}
        if flt:
            docs = [d for d in docs if self.matches(d, flt)]
        if body.get('nameOnly'):
            docs = [{'name': d['name'], 'type': d['type']} for d in docs]
        return self.cursor_reply('%s.$cmd.listCollections' % db.name, docs, (body.get('cursor') or {}).get('batchSize'))

    def create(self, body, _):
        db = self.client[body.get('$db', 'test')]
        if body['create'] in db.list_collection_names():
            raise CommandError(48, 'NamespaceExists', 'Collection %s.%s already exists.' % (db.name, body['create']))
        db.create_collection(body['create'])
        return {'ok': 1.0}

    def drop(self, body, _):
        db = self.client[body.get('$db', 'test')]
        db.drop_collection(body['drop'])
        return {'ok': 1.0}

    def drop_database(self, body, _):
        self.client.drop_database(body.get('$db', 'test'))
        return {'ok': 1.0}


COMMANDS = {
    'hello': StandIn.hello,
    'ismaster': StandIn.hello,
    'isMaster': StandIn.hello,
    'ping': StandIn.ok,
    'buildInfo': StandIn.build_info,
    'buildinfo': StandIn.build_info,
    'getParameter': StandIn.get_parameter,
    'endSessions': StandIn.ok,
    'killAllSessions': StandIn.ok,
    'listDatabases': StandIn.list_databases,
    'find': StandIn.find,
    'getMore': StandIn.get_more,
    'killCursors': StandIn.kill_cursors,
    'aggregate': StandIn.aggregate,
    'count': StandIn.count,
    'distinct': StandIn.distinct,
    'explain': StandIn.explain,
    'insert': StandIn.insert,
    'update': StandIn.update,
    'delete': StandIn.delete,
    'findAndModify': StandIn.find_and_modify,
    'findandmodify': StandIn.find_and_modify,
    'createIndexes': StandIn.create_indexes,
    'listIndexes': StandIn.list_indexes,
    'dropIndexes': StandIn.drop_indexes,
    'listCollections': StandIn.list_collections,
    'create': StandIn.create,
    'drop': StandIn.drop,
    'dropDatabase': StandIn.drop_database,
}


def dotted(doc, key):
    for part in key.split('.'):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def upsert_base(q):
    """The document an upsert starts from: the query's equality fields (as mongod seeds it)."""
    base = {}
    for k, v in q.items():
        if k.startswith('$') or '.' in k:
            continue
        if isinstance(v, dict) and any(op.startswith('$') for op in v):
            continue
        base[k] = v
    base.setdefault('_id', ObjectId())
    return base


# ---- the wire -------------------------------------------------------------------------------

def parse_msg(payload):
    flags = struct.unpack_from('<I', payload, 0)[0]
    end = len(payload) - (4 if flags & CHECKSUM_PRESENT else 0)
    pos, body, sequences = 4, None, {}
    while pos < end:
        kind = payload[pos]
        pos += 1
        if kind == 0:
            size = struct.unpack_from('<i', payload, pos)[0]
            body = bson.decode(payload[pos:pos + size], CODEC)
            pos += size
        elif kind == 1:
            size = struct.unpack_from('<i', payload, pos)[0]
            section = payload[pos + 4:pos + size]
            pos += size
            nul = section.index(b'\x00')
            ident = section[:nul].decode()
            sequences[ident] = bson.decode_all(section[nul + 1:], CODEC)
        else:
            raise ValueError('unknown OP_MSG section kind %d' % kind)
    body = body or {}
    body.update(sequences)
    return flags, body


def parse_query(payload):
    pos = 4
    nul = payload.index(b'\x00', pos)
    pos = nul + 1 + 8
    size = struct.unpack_from('<i', payload, pos)[0]
    query = bson.decode(payload[pos:pos + size], CODEC)
    if '$query' in query:
        query = query['$query']
    return query


def frame(request_id, response_to, opcode, payload):
    return struct.pack('<iiii', 16 + len(payload), request_id, response_to, opcode) + payload


class Server:
    def __init__(self):
        self.standin = StandIn()
        self.request_ids = itertools.count(1)

    def answer(self, body, connection_id):
        try:
            return self.standin.handle(body, connection_id)
        except CommandError as err:
            return err.reply
        except NotImplementedError as err:
            return not_supported(str(err) or 'this operation').reply
        except mongomock.OperationFailure as err:
            return {'ok': 0.0, 'errmsg': str(err), 'code': getattr(err, 'code', None) or 2, 'codeName': 'BadValue'}
        except Exception as err:  # a bug of the stand-in: report it, keep serving
            name = next(iter(body), '?')
            print('mongo-standin: %s failed: %s' % (name, traceback.format_exc()), file=sys.stderr, flush=True)
            return {'ok': 0.0, 'errmsg': 'mongomock stand-in: %s failed: %r' % (name, err), 'code': 1, 'codeName': 'InternalError'}

    async def connection(self, reader, writer):
        connection_id = next(self.standin.connection_ids)
        try:
            while True:
                header = await reader.readexactly(16)
                length, request_id, _, opcode = struct.unpack('<iiii', header)
                payload = await reader.readexactly(length - 16)
                if opcode == OP_MSG:
                    flags, body = parse_msg(payload)
                    reply = self.answer(body, connection_id)
                    if flags & MORE_TO_COME:
                        continue
                    out = struct.pack('<I', 0) + b'\x00' + bson.encode(reply, codec_options=CODEC)
                    writer.write(frame(next(self.request_ids), request_id, OP_MSG, out))
                elif opcode == OP_QUERY:
                    reply = bson.encode(self.answer(parse_query(payload), connection_id), codec_options=CODEC)
                    out = struct.pack('<iqii', 0, 0, 0, 1) + reply
                    writer.write(frame(next(self.request_ids), request_id, OP_REPLY, out))
                else:
                    print('mongo-standin: opcode %d is not supported; closing the connection' % opcode, file=sys.stderr, flush=True)
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    args = parser.parse_args()
    server = Server()
    listener = await asyncio.start_server(server.connection, args.host, args.port)
    port = listener.sockets[0].getsockname()[1]
    print('mongo-standin listening on %d (%s)' % (port, LABEL), flush=True)
    # Exit when the parent closes stdin (or dies): a stand-in never outlives its test run.
    loop = asyncio.get_running_loop()
    stdin_closed = loop.create_future()
    loop.add_reader(sys.stdin.fileno(), lambda: stdin_closed.done() or (sys.stdin.buffer.read1(1 << 16) or stdin_closed.set_result(None)))
    await stdin_closed
    listener.close()


if __name__ == '__main__':
    asyncio.run(main())
