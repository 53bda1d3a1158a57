"""Logit Lab's Python harness for gradient checks (shipped with the extension and the CLI).

Node starts one fresh process per check run: ``python -u -B logit_lab_gradcheck.py`` in a temporary
working directory. The first line on stdin is a JSON job: the cells to run, in order, each with its
display name and line offset, the document's folder (put on sys.path) and a memory limit. The cells
run in one namespace where ``check_gradient(fun, x0)`` and ``check_grad(func, grad, x0)`` are
defined. Each call announces a check to Node, then serves Node's evaluation requests (batches of
points) until Node says the check is done, and returns. Finite differences, the comparison and the
diagnosis happen in Node; only the student's function runs here.

Protocol: JSON lines on a private copy of the original stdout; file descriptor 1 is pointed at
stderr so the student's prints (Python or C level) never mix with it. Arrays travel as float64
bytes in Fortran order, base64-encoded, with their NumPy shape.
"""
import ast
import base64
import io
import json
import os
import sys
import traceback

CELL_PREFIX = '<logit-lab-cell:'

_proto = os.fdopen(os.dup(1), 'w', encoding='utf-8', newline='\n')
os.dup2(2, 1)
sys.stdout = sys.stderr
# Requests come on a private copy of stdin; the student's input() reads an empty stdin.
_requests = os.fdopen(os.dup(0), 'r', encoding='utf-8')
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
sys.stdin = open(os.devnull, 'r')
_job = {}
_sources = {}  # cell filename -> source text


def send(message):
    _proto.write(json.dumps(message, allow_nan=False) + '\n')
    _proto.flush()


def receive():
    line = _requests.readline()
    if not line:
        os._exit(0)
    return json.loads(line)


def fatal(kind, message):
    send({'type': 'fatal', 'kind': kind, 'message': message})
    sys.exit(0)


# ---- positions ---------------------------------------------------------------------------------

def cell_of(filename):
    if filename.startswith(CELL_PREFIX):
        return int(filename[len(CELL_PREFIX):-1])
    return None


def student_frames(frame):
    """Innermost first: (frame) of cell code on the stack starting at `frame`."""
    out = []
    while frame is not None:
        if cell_of(frame.f_code.co_filename) is not None:
            out.append(frame)
        frame = frame.f_back
    return out


def where(frame):
    return {'cell': cell_of(frame.f_code.co_filename), 'line': frame.f_lineno}


def display(cell, line):
    c = _job['cells'][cell]
    label = c['file']
    if c.get('notebookCell') is not None:
        return '"%s", cell %d, line %d' % (label, c['notebookCell'] + 1, line)
    return '"%s", line %d' % (label, line + c['offset'])


def format_exception(exc):
    """The traceback as Python prints it, trimmed to frames of the student's cells and folder."""
    lines = ['Traceback (most recent call last):\n']
    tb = exc.__traceback__
    innermost = None
    doc_dir = _job.get('docDir') or '\0'
    for frame, lineno in traceback.walk_tb(tb):
        name = frame.f_code.co_filename
        cell = cell_of(name)
        if cell is not None:
            lines.append('  File %s, in %s\n' % (display(cell, lineno), frame.f_code.co_name))
            text = source_line(cell, lineno)
            if text:
                lines.append('    %s\n' % text.strip())
            innermost = {'cell': cell, 'line': lineno}
        elif name.startswith(doc_dir):
            lines.append('  File "%s", line %d, in %s\n' % (name, lineno, frame.f_code.co_name))
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return ''.join(lines).rstrip('\n'), innermost


def source_line(cell, line):
    lines = _sources.get(cell, '').split('\n')
    return lines[line - 1] if 0 < line <= len(lines) else ''


# ---- arrays ------------------------------------------------------------------------------------

def encode(array):
    a = np.asarray(array, dtype=np.float64)
    return base64.b64encode(a.tobytes(order='F')).decode('ascii')


def decode(text, shape):
    return np.frombuffer(base64.b64decode(text), dtype=np.float64).reshape(shape, order='F').copy()


def to_numpy(x):
    """x0 as a NumPy array; a torch tensor through .detach().numpy(). Returns (array, is_torch)."""
    module = type(x).__module__ or ''
    if module.startswith('torch'):
        return x.detach().cpu().numpy(), True
    return np.asarray(x), False


def shape_text(shape):
    return '(%s)' % (', '.join(str(s) for s in shape) + (',' if len(shape) == 1 else ''))


# ---- broadcasting ------------------------------------------------------------------------------

_OPS = {'subtract': ast.Sub, 'add': ast.Add, 'multiply': ast.Mult, 'true_divide': ast.Div, 'divide': ast.Div,
        'matmul': ast.MatMult, 'power': ast.Pow, 'floor_divide': ast.FloorDiv, 'remainder': ast.Mod}


def make_tracked():
    class Tracked(np.ndarray):
        """An ndarray that records ufunc calls that broadcast operands of different shapes into a
        result larger than every operand, with the student's line."""
        records = []

        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            raw = [i.view(np.ndarray) if isinstance(i, Tracked) else i for i in inputs]
            if 'out' in kwargs:
                kwargs['out'] = tuple(o.view(np.ndarray) if isinstance(o, Tracked) else o for o in kwargs['out'])
            result = getattr(ufunc, method)(*raw, **kwargs)
            if method == '__call__' and isinstance(result, np.ndarray):
                arrays = [np.asarray(i) for i in raw if isinstance(i, np.ndarray)]
                if len(arrays) >= 2 and result.size > max(a.size for a in arrays) and len({a.shape for a in arrays}) > 1:
                    frames = student_frames(sys._getframe(1))
                    if frames:
                        Tracked.records.append((ufunc.__name__, [a.shape for a in arrays], result.shape, where(frames[0])))
            if isinstance(result, np.ndarray):
                return result.view(Tracked)
            if isinstance(result, tuple):
                return tuple(r.view(Tracked) if isinstance(r, np.ndarray) else r for r in result)
            return result
    return Tracked


def expression_at(cell, line, ufunc):
    """The source text of the operation on that line (`h - y`), else the stripped line."""
    text = _sources.get(cell, '')
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return source_line(cell, line).strip()
    op = _OPS.get(ufunc)
    best = None
    for node in ast.walk(tree):
        if getattr(node, 'lineno', None) != line:
            continue
        if op is not None and isinstance(node, ast.BinOp) and isinstance(node.op, op):
            segment = ast.get_source_segment(text, node)
            if segment and (best is None or len(segment) < len(best)):
                best = segment
        elif op is None and isinstance(node, ast.Call):
            segment = ast.get_source_segment(text, node)
            if segment and (best is None or len(segment) < len(best)):
                best = segment
    return best or source_line(cell, line).strip()


# ---- one check ---------------------------------------------------------------------------------

class Check:
    def __init__(self, fun, x0, kind, call_site):
        self.fun = fun
        self.kind = kind
        array, self.torch = to_numpy(x0)
        if array.dtype.kind not in 'biuf' or array.size == 0:
            raise TypeError('x0 must be a non-empty array of numbers, got %s %s' % (array.dtype, shape_text(array.shape)))
        self.x0 = array
        self.shape = array.shape
        self.call_site = call_site
        self.param = first_parameter(fun) or 'x0'
        self.hints = []
        self.notes = []
        self.returned = None  # {cell, line, grad_text, frame-locals}
        self.label = None
        self.reported_mutation = False
        self.watched = watched_arrays(fun)
        if array.dtype.kind in 'biu':
            self.notes.append('x0 has the integer dtype %s: an optimizer or an update such as `%s -= lr * grad` on it '
                              'truncates to whole numbers; build it from floats (e.g. np.zeros(%s) or dtype=float).'
                              % (array.dtype, self.param, shape_text(self.shape)))

    def call(self, x):
        arg = x
        if self.torch:
            import torch
            arg = torch.from_numpy(x)
        out = self.fun(arg)
        if self.kind == 'check_gradient':
            return out
        return out, self.grad_fun(arg)

    def evaluate(self, point, outputs, terms, first):
        x = point.copy()
        trace = Tracer() if terms else None
        if trace:
            trace.start()
        try:
            out = self.call(x)
        finally:
            if trace:
                trace.stop()
        value = self.unpack(out, outputs)
        if not np.array_equal(x, point, equal_nan=True):
            self.hint('mutation', '%s modifies its argument `%s` in place: the caller\'s array changes with every call '
                      '(copy it first, e.g. `%s = %s.copy()`, or use `%s = %s - ...` instead of `-=`).'
                      % (self.what(), self.param, self.param, self.param, self.param, self.param))
        if first or terms:  # at the check points: data changed in place shows at the first calls
            self.check_watched()
        if trace and 'grad' in value:
            self.locate_return(trace, out, value)
        if first and outputs >= 2:
            again = self.unpack(self.call(point.copy()), 1)
            if again['loss'] != value['loss'] and isinstance(again['loss'], float) and isinstance(value['loss'], float):
                self.hint('nondeterministic', 'two calls of %s with the same %s gave different losses (%.17g, then %.17g): '
                          '%s changes some state between calls (an array updated in place, a global, a random draw).'
                          % (self.what(), self.param, value['loss'], again['loss'], self.what()))
        if self.hints:
            value['hints'] = self.hints
        return value

    def hint(self, kind, message, line=None, decisive=True):
        if any(h['message'] == message for h in self.hints):
            return
        h = {'kind': kind, 'message': message, 'decisive': decisive}
        if line:
            h.update(line)
        self.hints.append(h)

    def what(self):
        name = self.label or getattr(self.fun, '__name__', 'fun')
        if name == '<lambda>' and self.returned and self.returned.get('function') not in (None, '<lambda>'):
            name = self.returned['function']
        return 'fun' if name == '<lambda>' else name

    def check_watched(self):
        for name, array, copy in self.watched:
            if not self.reported_mutation and not np.array_equal(array, copy, equal_nan=True):
                self.reported_mutation = True
                self.hint('mutation', '%s modifies `%s` in place (shape %s): every call sees different data, so the loss '
                          'changes between calls with the same %s; work on a copy (`%s.copy()`).'
                          % (self.what(), name, shape_text(array.shape), self.param, name))

    def unpack(self, out, outputs):
        if self.kind == 'check_gradient':
            if isinstance(out, (tuple, list)):
                items = list(out)
            else:
                items = [out]
        else:
            items = list(out)
        value = {'outputs': len(items)}
        loss = items[0]
        if type(loss).__module__.startswith('torch'):
            loss = loss.detach().cpu().numpy()
        loss_array = np.asarray(loss)
        if loss_array.size == 1 and loss_array.dtype.kind in 'biuf':
            loss_value = float(loss_array.reshape(()))
            value['loss'] = loss_value if np.isfinite(loss_value) else repr(loss_value)
        else:
            value['loss'] = 'nan'
            value['lossShape'] = mat_shape(loss_array.shape) if loss_array.dtype.kind in 'biuf' else [0, 0]
        if outputs >= 2 and len(items) >= 2:
            value['grad'] = self.array_value(items[1], 'grad')
        if outputs >= 3 and len(items) >= 3 and items[2] is not None:
            value['hess'] = self.array_value(items[2], 'hess')
        return value

    def array_value(self, raw, label):
        a, _ = to_numpy(raw)
        if a.dtype.kind not in 'biuf':
            raise TypeError('%s returned a %s of dtype %s, not an array of numbers' % (self.what(), label, a.dtype))
        if label == 'grad' and a.dtype.kind in 'biu':
            self.hint('integer', 'the gradient is an integer array (dtype %s), so its values are truncated to whole numbers: '
                      'create it with a float dtype (np.zeros(%s) rather than np.zeros(%s, dtype=int)).'
                      % (a.dtype, shape_text(self.shape), shape_text(self.shape)))
        return {'shape': list(a.shape), 'dtype': str(a.dtype), 'data': encode(a)}

    def locate_return(self, trace, out, value):
        """The innermost return in the student's cells that returned this gradient object."""
        grad = out[1] if isinstance(out, (tuple, list)) and len(out) > 1 else None
        for frame_info in trace.returns:
            ret = frame_info['value']
            hit = ret is grad or (isinstance(ret, (tuple, list)) and len(ret) > 1 and ret[1] is grad)
            if grad is not None and hit:
                self.returned = frame_info
                value['returnAt'] = {'cell': frame_info['cell'], 'line': frame_info['line']}
                terms, grad_text = gradient_terms(frame_info, np.asarray(grad).shape)
                frame_info['grad_text'] = grad_text
                if terms:
                    value['terms'] = terms
                value['named'] = frame_info['named']
                value['function'] = frame_info['function']
                return


def mat_shape(shape):
    if len(shape) == 0:
        return [1, 1]
    if len(shape) == 1:
        return [shape[0], 1]
    rest = 1
    for s in shape[1:]:
        rest *= s
    return [shape[0], rest]


def first_parameter(fun):
    code = getattr(fun, '__code__', None)
    if code is not None and code.co_argcount > 0:
        return code.co_varnames[0]
    return None


def watched_arrays(fun):
    """Arrays fun can reach besides its argument: closure cells, defaults, the namespace."""
    found = {}
    cells = getattr(fun, '__closure__', None) or ()
    names = getattr(getattr(fun, '__code__', None), 'co_freevars', ())
    for name, cell in zip(names, cells):
        try:
            found[name] = cell.cell_contents
        except ValueError:
            pass
    for name, value in list(_namespace.items()):
        if not name.startswith('_'):
            found.setdefault(name, value)
    out = []
    total = 0
    for name, value in found.items():
        if isinstance(value, np.ndarray) and value.dtype.kind in 'biufc' and total + value.size <= 10_000_000:
            total += value.size
            out.append((name, value, value.copy()))
    return out


class Tracer:
    """Records returns of frames in the student's cells during one call (sys.setprofile)."""

    def __init__(self):
        self.returns = []

    def start(self):
        sys.setprofile(self.profile)

    def stop(self):
        sys.setprofile(None)

    def profile(self, frame, event, arg):
        if event != 'return':
            return
        cell = cell_of(frame.f_code.co_filename)
        if cell is None:
            return
        named = []
        for name, v in frame.f_locals.items():
            if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and np.isfinite(v):
                named.append({'name': name, 'value': float(v)})
        self.returns.append({'cell': cell, 'line': frame.f_lineno, 'value': arg, 'function': frame.f_code.co_name,
                             'locals': dict(frame.f_locals), 'globals': frame.f_globals, 'named': named})


def gradient_terms(frame_info, grad_shape):
    """The additive terms of the expression that built the returned gradient, evaluated in the frame
    (`X.T @ d / n + reg * W` -> two terms), and a candidate one-hot term for softmax losses."""
    cell, line = frame_info['cell'], frame_info['line']
    text = _sources.get(cell, '')
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return [], 'grad'
    ret = next((n for n in ast.walk(tree) if isinstance(n, ast.Return) and n.lineno <= line <= (n.end_lineno or n.lineno)), None)
    if ret is None or ret.value is None:
        return [], 'grad'
    expr = ret.value.elts[1] if isinstance(ret.value, ast.Tuple) and len(ret.value.elts) > 1 else ret.value
    grad_text = ast.get_source_segment(text, expr) or 'grad'
    scope = dict(frame_info['globals'])
    scope.update(frame_info['locals'])
    grad = frame_info['value'][1] if isinstance(frame_info['value'], (tuple, list)) else frame_info['value']
    options = [expr]
    if isinstance(expr, ast.Name):
        function = enclosing_function(tree, ret.lineno)
        assigns = [n for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.lineno < ret.lineno
                   and (function is None or function.lineno <= n.lineno)
                   and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)]
        # The assignment that produced the returned value: the latest one whose terms add up to it.
        options = [a.value for a in sorted(assigns, key=lambda a: -a.lineno)]
    for node in options:
        terms = evaluate_terms(text, node, scope, grad, grad_shape)
        if terms is not None:
            return terms + candidates(frame_info, grad_shape), grad_text
    return candidates(frame_info, grad_shape), grad_text


def evaluate_terms(text, expr, scope, grad, grad_shape):
    """The terms of expr evaluated in scope, when they add up to grad (else None)."""
    parts = []
    split_terms(expr, 1, parts)
    if len(parts) < 2:
        return None
    terms = []
    total = 0
    for node, sign in parts:
        try:
            v = np.asarray(eval(compile(ast.Expression(node), '<term>', 'eval'), scope))
        except Exception:  # a term that cannot be evaluated alone gives no term diagnosis, not an error
            return None
        if v.dtype.kind not in 'biuf':
            return None
        total = total + sign * v
        if v.shape != grad_shape and v.size == 1:
            v = np.broadcast_to(v, grad_shape)
        terms.append({'text': ast.get_source_segment(text, node), 'sign': sign,
                      'value': {'shape': list(v.shape), 'dtype': str(v.dtype), 'data': encode(v)}})
    try:
        if not np.allclose(total, np.asarray(grad, dtype=float), rtol=1e-9, atol=1e-12):
            return None
    except (TypeError, ValueError):
        return None
    return terms


def enclosing_function(tree, line):
    best = None
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.Lambda)) and n.lineno <= line <= (n.end_lineno or n.lineno):
            if best is None or n.lineno > best.lineno:
                best = n
    return best


def split_terms(node, sign, out):
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        split_terms(node.left, sign, out)
        split_terms(node.right, sign if isinstance(node.op, ast.Add) else -sign, out)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        split_terms(node.operand, -sign, out)
    else:
        out.append((node, sign))


def candidates(frame_info, grad_shape):
    """For a D x C gradient with a data matrix X (N x D) and integer labels y (N,) in scope: the
    one-hot term X.T @ Y / N that softmax gradients subtract (a forgotten `dscores[..., y] -= 1`)."""
    if len(grad_shape) != 2:
        return []
    d, c = grad_shape
    scope = dict(frame_info['globals'])
    scope.update(frame_info['locals'])
    xs = [(k, v) for k, v in scope.items() if isinstance(v, np.ndarray) and v.ndim == 2 and v.shape[1] == d and v.dtype.kind == 'f']
    ys = [(k, v) for k, v in scope.items() if isinstance(v, np.ndarray) and v.ndim == 1 and v.dtype.kind in 'iu']
    for xn, x in xs:
        for yn, y in ys:
            if y.shape[0] == x.shape[0] and y.size and y.min() >= 0 and y.max() < c:
                onehot = np.zeros((y.shape[0], c))
                onehot[np.arange(y.shape[0]), y] = 1
                value = x.T @ onehot / y.shape[0]
                return [{'text': '%s.T @ Y / N (Y the one-hot encoding of %s, N = %d)' % (xn, yn, y.shape[0]), 'sign': -1,
                         'candidate': True, 'value': {'shape': list(value.shape), 'dtype': 'float64', 'data': encode(value)}}]
    return []


def broadcast_hint(check, value):
    """Re-runs fun once at x0 with tracked arrays to find the operation that broadcast."""
    grad_shape = tuple(value['grad']['shape'])
    if grad_shape == check.shape:
        return
    tracked_class = make_tracked()
    tracked_class.records = []
    x = check.x0.astype(np.float64).view(tracked_class)
    try:
        check.call(x)
    except Exception:
        return
    grad_text = (check.returned or {}).get('grad_text', 'grad')
    head = '`%s` has shape %s, `%s` has shape %s' % (grad_text, shape_text(grad_shape), check.param, shape_text(check.shape))
    if tracked_class.records:
        ufunc, shapes, _, at = tracked_class.records[0]
        expr = expression_at(at['cell'], at['line'], ufunc)
        message = '%s: `%s` broadcast a %s array against a %s one.' % (
            head, expr, shape_text(shapes[0]), shape_text(shapes[1]) if len(shapes) > 1 else '')
        message = message.replace(' one.', ' one (make both the same shape, e.g. with .ravel() or [:, None]).')
        check.hint('broadcast', message, at)


def serve(check):
    x0 = check.x0.astype(np.float64)
    send({'type': 'check', 'at': check.call_site, 'x0': {'shape': list(check.shape), 'dtype': str(check.x0.dtype), 'data': encode(x0)},
          'param': check.param, 'what': check.what(), 'notes': check.notes})
    first = True
    while True:
        request = receive()
        if request['type'] == 'done':
            return
        values = []
        try:
            for point in request['points']:
                value = check.evaluate(decode(point, check.shape), request['outputs'], request.get('terms', False), first)
                if first and 'grad' in value:
                    broadcast_hint(check, value)
                    if check.hints:
                        value['hints'] = check.hints
                    value['function'] = check.what()
                first = False
                values.append(value)
        except Exception as exc:  # the student's exception, reported with its lines
            text, at = format_exception(exc)
            send({'type': 'raised', 'message': text, 'at': at})
            continue
        send({'type': 'values', 'values': values})


def call_site():
    frames = student_frames(sys._getframe(2))
    return where(frames[0]) if frames else None


def check_gradient(fun, x0):
    """Registers and runs a check of fun(x) -> (loss, grad[, hess]) at x0 (scipy's jac=True)."""
    serve(Check(fun, x0, 'check_gradient', call_site()))


def check_grad(func, grad, x0, *args, **kwargs):
    """scipy.optimize.check_grad's signature: func(x, *args) -> loss, grad(x, *args) -> gradient."""
    def fun(x):
        return func(x, *args)
    fun.__name__ = getattr(func, '__name__', 'func')
    check = Check(fun, x0, 'check_grad', call_site())
    check.param = first_parameter(func) or 'x0'
    check.label = getattr(grad, '__name__', 'grad').replace('<lambda>', 'grad')
    check.grad_fun = lambda x: grad(x, *args)
    serve(check)


def main():
    global np, _job, _namespace
    _job = json.loads(_requests.readline())
    limit = _job.get('memoryMb')
    if limit:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (limit * 1024 * 1024, limit * 1024 * 1024))
        except (ImportError, ValueError, OSError):
            pass
    try:
        import numpy
        np = numpy
    except ImportError as exc:
        fatal('numpy', str(exc))
    send({'type': 'hello', 'executable': sys.executable, 'version': sys.version.split()[0], 'numpy': np.__version__})
    if _job.get('docDir'):
        sys.path.insert(0, _job['docDir'])
    _namespace = {'__name__': '__main__', 'check_gradient': check_gradient, 'check_grad': check_grad}
    import linecache
    for index, cell in enumerate(_job['cells']):
        name = '%s%d>' % (CELL_PREFIX, index)
        _sources[index] = cell['code']
        linecache.cache[name] = (len(cell['code']), None, cell['code'].splitlines(True), name)
        send({'type': 'cell', 'index': index})
        try:
            code = compile(cell['code'], name, 'exec')
            exec(code, _namespace)
        except SyntaxError as exc:
            at = {'cell': index, 'line': exc.lineno or 1} if cell_of(exc.filename or '') is not None else None
            column = exc.offset or 1
            send({'type': 'raised', 'fatal': True, 'at': at, 'column': column,
                  'message': 'File %s\n%s' % (display(index, exc.lineno or 1), ''.join(traceback.format_exception_only(type(exc), exc)).rstrip())})
            return
        except BaseException as exc:  # SystemExit, KeyboardInterrupt too: the run stops with the student's message
            text, at = format_exception(exc)
            send({'type': 'raised', 'fatal': True, 'message': text, 'at': at})
            return
    send({'type': 'end'})


np = None
_namespace = {}
if __name__ == '__main__':
    main()
