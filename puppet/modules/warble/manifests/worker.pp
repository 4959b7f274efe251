# A worker server: the Celery worker and Celery beat, each a systemd unit.
class warble::worker {
  include warble

  warble::service { 'worker':
    description => 'Warble Celery worker',
    command     => 'tasks.py worker --loglevel INFO',
  }
  warble::service { 'beat':
    description => 'Warble Celery beat (periodic tasks)',
    command     => 'tasks.py beat --loglevel INFO',
  }
}
