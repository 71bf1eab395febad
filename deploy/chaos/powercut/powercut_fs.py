#!/usr/bin/python3
"""powercut-fs: a FUSE filesystem that forgets, at a power cut, what was not made durable.

    powercut_fs.py <mountpoint> <workdir>      (foreground; as root; allow_other)

What is durable follows strict POSIX semantics, as Jepsen's LazyFS does for data
and as the issue asks for names:
  * a file's bytes are durable once the file is fsynced (fsync or fdatasync);
    writes and truncations since its last fsync live in memory only;
  * a name (create, mkdir, rename, unlink, rmdir) is durable only once its
    directory is fsynced; until then the durable directory keeps its old entries.

Writing "cut" to <mountpoint>/.powercut drops everything that is not durable, as
a power cut does: every unsynced write, every directory change not followed by
an fsync of that directory, every open handle (later use fails with EIO). The
processes using the mount must be dead first (a cut stands for the machine
losing power). Reading .powercut returns counters as JSON. The control file is
not listed by readdir.

Layout of <workdir>: durable/ is the durable state, laid out as the files
appear (a plain directory tree: what a machine would find after power comes
back); limbo/ holds one hard link per live file (so bytes written to a file
whose name is not durable yet have somewhere to go) and directories whose
names are not durable. A cut empties limbo/.
"""

import errno
import json
import os
import stat
import sys
import time

import fusepy

CTL = '/.powercut'


class Node:
    __slots__ = ('id', 'is_dir', 'mode', 'uid', 'gid', 'mtime', 'ctime', 'atime', 'children', 'durable', 'dparent', 'dname',
                 'fd', 'size', 'ops', 'nlink')

    def __init__(self, nid, is_dir, mode, uid, gid):
        self.id = nid
        self.is_dir = is_dir
        self.mode = mode
        self.uid = uid
        self.gid = gid
        now = time.time_ns()
        self.mtime = self.ctime = self.atime = now
        # Directories: the volatile entries, and those linked in the durable tree.
        self.children = {} if is_dir else None
        self.durable = {} if is_dir else None
        # Directories: where the durable tree links this one (None: in limbo).
        self.dparent = None
        self.dname = None
        # Files: an fd on the limbo link, the volatile size, and writes/truncations since the last fsync.
        self.fd = None
        self.size = 0
        self.ops = []
        self.nlink = 0


class PowercutFs(fusepy.Operations):
    use_ns = True

    def __init__(self, workdir):
        self.work = os.path.abspath(workdir)
        self.dur = os.path.join(self.work, 'durable')
        self.limbo = os.path.join(self.work, 'limbo')
        os.makedirs(self.dur, exist_ok=True)
        self.next_fh = 1
        self.stats = {'cuts': 0, 'fsyncs': 0, 'dirFsyncs': 0, 'writes': 0, 'lostWrites': 0, 'lostBytes': 0, 'lostNames': 0, 'lastLostNames': []}
        self._load()

    # --- state ---------------------------------------------------------------------------

    def _load(self):
        """Builds the volatile view from the durable tree (at mount and after a cut)."""
        if os.path.isdir(self.limbo):
            for name in os.listdir(self.limbo):
                p = os.path.join(self.limbo, name)
                if os.path.isdir(p) and not os.path.islink(p):
                    _rmtree(p)
                else:
                    os.unlink(p)
        os.makedirs(self.limbo, exist_ok=True)
        self.next_id = 1
        # Handles from before a cut stay invalid: numbers keep growing, so a late release cannot hit a new one.
        self.handles = {}
        st = os.stat(self.dur)
        self.root = self._node(True, stat.S_IFDIR | 0o755, st.st_uid, st.st_gid)
        self.root.dparent = self.root  # the root is always durable
        self._scan(self.root, self.dur)

    def _scan(self, d, path):
        for name in sorted(os.listdir(path)):
            p = os.path.join(path, name)
            st = os.lstat(p)
            if stat.S_ISDIR(st.st_mode):
                n = self._node(True, st.st_mode, st.st_uid, st.st_gid)
                n.dparent, n.dname = d, name
                self._scan(n, p)
            elif stat.S_ISREG(st.st_mode):
                n = self._node(False, st.st_mode, st.st_uid, st.st_gid)
                os.link(p, self._lpath(n))
                n.size = st.st_size
            else:
                continue
            n.mtime, n.ctime = st.st_mtime_ns, st.st_ctime_ns
            d.children[name] = n
            d.durable[name] = n
            n.nlink += 1

    def _node(self, is_dir, mode, uid, gid):
        n = Node(self.next_id, is_dir, mode, uid, gid)
        self.next_id += 1
        return n

    def _lpath(self, n):
        return os.path.join(self.limbo, ('d%d' if n.is_dir else 'f%d') % n.id)

    def _bpath(self, d):
        """Where a directory lives in the work tree: durable/... or limbo/d<id>."""
        if d is self.root:
            return self.dur
        if d.dparent is None:
            return self._lpath(d)
        return os.path.join(self._bpath(d.dparent), d.dname)

    def _fd(self, n):
        if n.fd is None:
            n.fd = os.open(self._lpath(n), os.O_RDWR)
        return n.fd

    def _resolve(self, path):
        n = self.root
        if path == '/':
            return n
        for part in path.strip('/').split('/'):
            if not n.is_dir:
                raise fusepy.FuseOSError(errno.ENOTDIR)
            n = n.children.get(part)
            if n is None:
                raise fusepy.FuseOSError(errno.ENOENT)
        return n

    def _parent(self, path):
        head, name = os.path.split(path.rstrip('/'))
        d = self._resolve(head or '/')
        if not d.is_dir:
            raise fusepy.FuseOSError(errno.ENOTDIR)
        return d, name

    def _touch(self, n):
        n.mtime = n.ctime = time.time_ns()

    def _ctx(self):
        uid, gid, _pid = fusepy.fuse_get_context()
        return uid, gid

    def _handle(self, fh, path):
        if fh:
            n = self.handles.get(fh)
            if n is None:
                raise fusepy.FuseOSError(errno.EIO)  # opened before a cut
            return n
        return self._resolve(path)

    def _forget(self, n):
        """A file no longer named anywhere and no longer open: its limbo link goes."""
        if n.is_dir or n.nlink > 0 or any(h is n for h in self.handles.values()):
            return
        if n.fd is not None:
            os.close(n.fd)
            n.fd = None
        try:
            os.unlink(self._lpath(n))
        except FileNotFoundError:
            pass

    # --- durability --------------------------------------------------------------------------

    def _sync_file(self, n):
        self.stats['fsyncs'] += 1
        if not n.ops:
            return
        fd = self._fd(n)
        for op in n.ops:
            if op[0] == 'w':
                os.pwrite(fd, op[2], op[1])
            else:
                os.ftruncate(fd, op[1])
        n.ops = []

    def _sync_dir(self, d):
        """Makes the durable tree under d hold exactly d's volatile entries."""
        self.stats['dirFsyncs'] += 1
        base = self._bpath(d)
        for name, n in list(d.durable.items()):
            if d.children.get(name) is not n:
                del d.durable[name]
                p = os.path.join(base, name)
                if n.is_dir:
                    n.dparent = n.dname = None
                    os.rename(p, self._lpath(n))
                else:
                    os.unlink(p)
        for name, n in d.children.items():
            if d.durable.get(name) is n:
                continue
            p = os.path.join(base, name)
            if n.is_dir:
                src = self._bpath(n)
                if n.dparent is not None:
                    del n.dparent.durable[n.dname]
                os.rename(src, p)
                n.dparent, n.dname = d, name
            else:
                os.link(self._lpath(n), p)
            d.durable[name] = n

    def _stats_bytes(self):
        return (json.dumps(self.stats) + '\n').encode()

    def _cut(self):
        lost_writes = lost_bytes = 0
        lost_names = []

        def walk(d, path):
            nonlocal lost_writes, lost_bytes
            seen = set()
            for name in sorted(set(d.children) | set(d.durable)):
                v, k = d.children.get(name), d.durable.get(name)
                if v is not k:
                    lost_names.append(path + name)
                for n in (v, k):
                    if n is None or id(n) in seen:
                        continue
                    seen.add(id(n))
                    if n.is_dir:
                        walk(n, path + name + '/')
                    else:
                        lost_writes += len(n.ops)
                        lost_bytes += sum(len(op[2]) for op in n.ops if op[0] == 'w')
        walk(self.root, '/')
        for n in self.handles.values():
            if isinstance(n, Node) and n.fd is not None:
                os.close(n.fd)
                n.fd = None

        def close_all(d):
            for n in set(d.children.values()) | set(d.durable.values()):
                if n.is_dir:
                    close_all(n)
                elif n.fd is not None:
                    os.close(n.fd)
                    n.fd = None
        close_all(self.root)
        self.stats['cuts'] += 1
        self.stats['lostWrites'] += lost_writes
        self.stats['lostBytes'] += lost_bytes
        self.stats['lostNames'] += len(lost_names)
        self.stats['lastLostNames'] = lost_names[:50]
        self._load()
        sys.stderr.write('powercut-fs: cut: dropped %d unsynced writes (%d bytes) and %d unsynced names: %s\n' % (lost_writes, lost_bytes, len(lost_names), ' '.join(lost_names[:50])))
        sys.stderr.flush()

    # --- FUSE operations ------------------------------------------------------------------------

    def getattr(self, path, fh=None):
        if path == CTL:
            now = time.time_ns()
            return dict(st_mode=stat.S_IFREG | 0o666, st_nlink=1, st_size=len(self._stats_bytes()), st_mtime=now, st_ctime=now, st_atime=now)
        n = self._handle(fh, path) if fh else self._resolve(path)
        if n.is_dir:
            return dict(st_mode=stat.S_IFDIR | (n.mode & 0o7777), st_nlink=2 + sum(1 for c in n.children.values() if c.is_dir),
                        st_size=4096, st_uid=n.uid, st_gid=n.gid, st_mtime=n.mtime, st_ctime=n.ctime, st_atime=n.atime, st_ino=n.id)
        return dict(st_mode=stat.S_IFREG | (n.mode & 0o7777), st_nlink=max(1, n.nlink), st_size=n.size, st_uid=n.uid, st_gid=n.gid,
                    st_mtime=n.mtime, st_ctime=n.ctime, st_atime=n.atime, st_blocks=(n.size + 511) // 512, st_ino=n.id)

    def readdir(self, path, fh):
        d = self._resolve(path)
        if not d.is_dir:
            raise fusepy.FuseOSError(errno.ENOTDIR)
        return ['.', '..'] + list(d.children)

    def opendir(self, path):
        d = self._resolve(path)
        if not d.is_dir:
            raise fusepy.FuseOSError(errno.ENOTDIR)
        return 0

    def releasedir(self, path, fh):
        return 0

    def fsyncdir(self, path, datasync, fh):
        self._sync_dir(self._resolve(path))
        return 0

    def access(self, path, amode):
        if path != CTL:
            self._resolve(path)
        return 0

    def statfs(self, path):
        st = os.statvfs(self.work)
        return dict((k, getattr(st, k)) for k in ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax'))

    def mkdir(self, path, mode):
        d, name = self._parent(path)
        if name in d.children:
            raise fusepy.FuseOSError(errno.EEXIST)
        uid, gid = self._ctx()
        n = self._node(True, stat.S_IFDIR | mode, uid, gid)
        os.mkdir(self._lpath(n))
        d.children[name] = n
        n.nlink = 1
        self._touch(d)
        return 0

    def rmdir(self, path):
        d, name = self._parent(path)
        n = d.children.get(name)
        if n is None:
            raise fusepy.FuseOSError(errno.ENOENT)
        if not n.is_dir:
            raise fusepy.FuseOSError(errno.ENOTDIR)
        if n.children:
            raise fusepy.FuseOSError(errno.ENOTEMPTY)
        del d.children[name]
        self._touch(d)
        return 0

    def create(self, path, mode, fi=None):
        if path == CTL:
            return self.open(path, os.O_WRONLY)
        d, name = self._parent(path)
        n = d.children.get(name)
        if n is None:
            uid, gid = self._ctx()
            n = self._node(False, stat.S_IFREG | (mode & 0o7777), uid, gid)
            open(self._lpath(n), 'xb').close()
            d.children[name] = n
            n.nlink = 1
            self._touch(d)
        elif n.is_dir:
            raise fusepy.FuseOSError(errno.EISDIR)
        fh = self.next_fh
        self.next_fh += 1
        self.handles[fh] = n
        return fh

    def open(self, path, flags):
        fh = self.next_fh
        self.next_fh += 1
        if path == CTL:
            self.handles[fh] = CTL
            return fh
        n = self._resolve(path)
        if n.is_dir:
            raise fusepy.FuseOSError(errno.EISDIR)
        self.handles[fh] = n
        if flags & os.O_TRUNC:
            self._truncate(n, 0)
        return fh

    def release(self, path, fh):
        n = self.handles.pop(fh, None)
        if isinstance(n, Node):
            self._forget(n)
        return 0

    def flush(self, path, fh):
        return 0

    def read(self, path, size, offset, fh):
        if path == CTL or self.handles.get(fh) == CTL:
            return self._stats_bytes()[offset:offset + size]
        n = self._handle(fh, path)
        end = min(offset + size, n.size)
        if end <= offset:
            return b''
        length = end - offset
        buf = bytearray(os.pread(self._fd(n), length, offset))
        if len(buf) < length:
            buf.extend(b'\0' * (length - len(buf)))
        for op in n.ops:
            if op[0] == 'w':
                o, data = op[1], op[2]
                lo, hi = max(o, offset), min(o + len(data), end)
                if lo < hi:
                    buf[lo - offset:hi - offset] = data[lo - o:hi - o]
            else:
                cut = op[1]
                if cut < end:
                    lo = max(cut, offset)
                    buf[lo - offset:] = b'\0' * (end - lo)
        return bytes(buf)

    def write(self, path, data, offset, fh):
        if self.handles.get(fh) == CTL or path == CTL:
            cmd = data.decode().strip()
            if cmd == 'cut':
                self._cut()
            elif cmd != '':
                raise fusepy.FuseOSError(errno.EINVAL)
            return len(data)
        n = self._handle(fh, path)
        self.stats['writes'] += 1
        last = n.ops[-1] if n.ops else None
        if last is not None and last[0] == 'w' and last[1] + len(last[2]) == offset:
            last[2].extend(data)
        else:
            n.ops.append(['w', offset, bytearray(data)])
        n.size = max(n.size, offset + len(data))
        self._touch(n)
        return len(data)

    def _truncate(self, n, length):
        n.ops.append(['t', length])
        n.size = length
        self._touch(n)

    def truncate(self, path, length, fh=None):
        if path == CTL:
            return 0
        n = self._handle(fh, path)
        if n.is_dir:
            raise fusepy.FuseOSError(errno.EISDIR)
        self._truncate(n, length)
        return 0

    def fsync(self, path, datasync, fh):
        if self.handles.get(fh) == CTL:
            return 0
        self._sync_file(self._handle(fh, path))
        return 0

    def unlink(self, path):
        d, name = self._parent(path)
        n = d.children.get(name)
        if n is None:
            raise fusepy.FuseOSError(errno.ENOENT)
        if n.is_dir:
            raise fusepy.FuseOSError(errno.EISDIR)
        del d.children[name]
        n.nlink -= 1
        self._touch(d)
        self._forget(n)
        return 0

    def rename(self, old, new):
        od, oname = self._parent(old)
        nd, nname = self._parent(new)
        n = od.children.get(oname)
        if n is None:
            raise fusepy.FuseOSError(errno.ENOENT)
        victim = nd.children.get(nname)
        if victim is n:
            return 0
        if victim is not None:
            if victim.is_dir != n.is_dir:
                raise fusepy.FuseOSError(errno.EISDIR if victim.is_dir else errno.ENOTDIR)
            if victim.is_dir and victim.children:
                raise fusepy.FuseOSError(errno.ENOTEMPTY)
            victim.nlink -= 1
        del od.children[oname]
        nd.children[nname] = n
        self._touch(od)
        self._touch(nd)
        if victim is not None:
            self._forget(victim)
        return 0

    def chmod(self, path, mode):
        n = self._resolve(path)
        n.mode = (n.mode & ~0o7777) | (mode & 0o7777)
        n.ctime = time.time_ns()
        return 0

    def chown(self, path, uid, gid):
        n = self._resolve(path)
        if uid != -1 and uid != 0xffffffff:
            n.uid = uid
        if gid != -1 and gid != 0xffffffff:
            n.gid = gid
        n.ctime = time.time_ns()
        return 0

    def utimens(self, path, times=None):
        n = self._resolve(path)
        now = time.time_ns()
        n.atime, n.mtime = times if times else (now, now)
        return 0

    def link(self, target, source):
        raise fusepy.FuseOSError(errno.EPERM)

    def symlink(self, target, source):
        raise fusepy.FuseOSError(errno.EPERM)

    def readlink(self, path):
        raise fusepy.FuseOSError(errno.EINVAL)

    def mknod(self, path, mode, dev):
        raise fusepy.FuseOSError(errno.EPERM)


def _rmtree(p):
    for name in os.listdir(p):
        q = os.path.join(p, name)
        if os.path.isdir(q) and not os.path.islink(q):
            _rmtree(q)
        else:
            os.unlink(q)
    os.rmdir(p)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    mountpoint, workdir = sys.argv[1], sys.argv[2]
    fs = PowercutFs(workdir)
    fusepy.FUSE(fs, mountpoint, foreground=True, nothreads=True, allow_other=True, big_writes=True,
                attr_timeout=0, entry_timeout=0, negative_timeout=0, fsname='powercut', subtype='powercut')


if __name__ == '__main__':
    main()
