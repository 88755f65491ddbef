import { DomainError } from '../common/errors/domain-error';

export class IncidentNotFoundError extends DomainError {
  constructor(id: string) {
    super('INCIDENT_NOT_FOUND', `No incident with id ${id}`, 'not_found');
  }
}

export class IncidentClosedError extends DomainError {
  constructor(id: string) {
    super('INCIDENT_RESOLVED', `Incident ${id} is already resolved`, 'conflict');
  }
}
