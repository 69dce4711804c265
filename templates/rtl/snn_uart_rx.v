// snn_uart_rx: an 8N1 UART receiver, CLOCKS_PER_BIT clocks per bit. The line is brought into
// the clock domain by two registers; each bit is sampled in its middle. `valid` is high for
// one clock with `data` when a byte's stop bit is high, `frame_error` instead when it is low
// (the receiver then waits for the line to go high before it looks for the next start bit).
`default_nettype none
module snn_uart_rx #(
    parameter CLOCKS_PER_BIT = 100
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       rx,
    output reg        valid,
    output reg  [7:0] data,
    output reg        frame_error
);
    localparam COUNT_W = $clog2(CLOCKS_PER_BIT);
    localparam [COUNT_W-1:0] HALF = CLOCKS_PER_BIT / 2 - 1;
    localparam [COUNT_W-1:0] FULL = CLOCKS_PER_BIT - 1;
    localparam STOP = 4'd9;

    reg [1:0] sync;
    wire line = sync[1];
    reg busy;                         // inside a character
    reg wait_high;                    // after a framing error, until the line is idle
    reg [3:0] bit_index;              // 0: start bit, 1 to 8: data, 9: stop bit
    reg [COUNT_W-1:0] count;
    reg [7:0] shift;

    initial begin
        sync = 2'b11;
        busy = 1'b0;
        wait_high = 1'b0;
        bit_index = 4'd0;
        count = {COUNT_W{1'b0}};
        shift = 8'd0;
        valid = 1'b0;
        data = 8'd0;
        frame_error = 1'b0;
    end

    always @(posedge clk) begin
        sync <= {sync[0], rx};
        valid <= 1'b0;
        frame_error <= 1'b0;
        if (rst) begin
            busy <= 1'b0;
            wait_high <= 1'b0;
        end else if (wait_high) begin
            if (line) wait_high <= 1'b0;
        end else if (!busy) begin
            if (!line) begin
                busy <= 1'b1;
                bit_index <= 4'd0;
                count <= HALF;
            end
        end else if (count != {COUNT_W{1'b0}}) begin
            count <= count - 1'b1;
        end else begin
            count <= FULL;
            if (bit_index == 4'd0) begin
                if (line) busy <= 1'b0;   // a glitch, not a start bit
                else bit_index <= 4'd1;
            end else if (bit_index != STOP) begin
                shift <= {line, shift[7:1]};
                bit_index <= bit_index + 1'b1;
            end else begin
                busy <= 1'b0;
                if (line) begin
                    valid <= 1'b1;
                    data <= shift;
                end else begin
                    frame_error <= 1'b1;
                    wait_high <= 1'b1;
                end
            end
        end
    end
endmodule
`default_nettype wire
