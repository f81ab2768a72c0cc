// A small fixed pool for independent I/O-bound tasks (AWS calls). Tasks may submit more
// tasks; Wait() returns when all, including those, are done, and rethrows the first exception
// a task threw (a pool thread must not end the process). With one job, Submit runs the task
// at once on the caller's thread: the sequential baseline.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lir {

class TaskPool {
 public:
  explicit TaskPool(int jobs);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  void Submit(std::function<void()> task);
  void Wait();

 private:
  void Work();
  void WaitIdle();

  std::mutex mutex_;
  std::condition_variable ready_, idle_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t pending_ = 0;
  std::exception_ptr failure_;  // the first exception a task threw, for Wait()
  bool stopping_ = false;
};

}  // namespace lir
